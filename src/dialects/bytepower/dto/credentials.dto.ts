import { applyDecorators, Type as ClassType } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { DeviceIdText, EmailText, OptionalText, PasswordText, RequiredText } from './bytepower-fields.decorators';
import { DeviceFieldsDto } from './device-fields.dto';

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

/** A device login: the device's id (the `login_device_id` of a sign-up on it) and the seed's device fields. */
export class DeviceCredentialsDto extends DeviceFieldsDto {
  @DeviceIdText(true, 'login_device_id')
  id: string;
}

/** An anonymous login: the app install's own id for its user. */
export class AnonymityCredentialsDto {
  @DeviceIdText(true, 'local_uid_7f3a')
  local_uid: string;
}

/** An optional credential object of a request (`name_password`, `email_password`, `device`, `anonymity`), validated in depth. */
export const CredentialObject = (type: ClassType<object>) =>
  // Absent is fine, `null` is not: IsOptional would let null through to the service as "given".
  applyDecorators(
    ApiPropertyOptional({ type }),
    ValidateIf((_object, value) => value !== undefined),
    IsObject(),
    ValidateNested(),
    Type(() => type),
  );
