import { applyDecorators, Type as ClassType } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { EmailText, OptionalText, PasswordText, RequiredText } from './bytepower-fields.decorators';

/** The longest user name; the unique index holds 191 characters, BytePower documents no limit. */
export const NAME_MAX_LENGTH = 64;

export class NamePasswordDto {
  @RequiredText(DomainErrorCode.USERNAME_REQUIRED, DomainErrorCode.USERNAME_INVALID, 'username', NAME_MAX_LENGTH)
  name: string;

  @PasswordText()
  password: string;
}

export class EmailPasswordDto {
  @EmailText()
  email: string;

  @PasswordText()
  password: string;
}

export class EmailSignupDto extends EmailPasswordDto {
  @ApiPropertyOptional({ type: String, example: '123456', description: 'required when the app has sign-up verification on' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  verify_code?: string;

  @OptionalText('website')
  platform?: string;
}

/** An optional credential object of a request (`name_password`, `email_password`), validated in depth. */
export const CredentialObject = (type: ClassType<object>) =>
  // Absent is fine, `null` is not: IsOptional would let null through to the service as "given".
  applyDecorators(
    ApiPropertyOptional({ type }),
    ValidateIf((_object, value) => value !== undefined),
    IsObject(),
    ValidateNested(),
    Type(() => type),
  );
