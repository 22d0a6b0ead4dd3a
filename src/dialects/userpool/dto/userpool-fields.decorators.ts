import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsNotEmpty, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { errorCode } from '../../../error-codes/domain-validation.pipe';
import { BCRYPT_MAX_BYTES } from '../../../users/password-hasher.service';
import { UserpoolProfileDto } from './userpool-profile.dto';

const passwordRequired = { context: errorCode(DomainErrorCode.PASSWORD_REQUIRED) };

/** Fields both register requests share, so the two DTOs keep one definition of each. */
export const PasswordField = () =>
  applyDecorators(
    ApiProperty({
      example: 'passw0rd!',
      description: `Meets the pool's strength level (2029 if not); at most ${BCRYPT_MAX_BYTES} bytes in UTF-8`,
    }),
    IsDefined(passwordRequired),
    IsNotEmpty(passwordRequired),
    IsString({ context: errorCode(DomainErrorCode.PASSWORD_INVALID) }),
  );

export const ProfileField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: UserpoolProfileDto }),
    IsOptional(),
    IsObject(),
    ValidateNested(),
    Type(() => UserpoolProfileDto),
  );

export const ForceLoginField = () =>
  applyDecorators(
    ApiPropertyOptional({ description: 'Also log the user in: fills `token` and `tokenExpiredAt`.' }),
    IsOptional(),
    IsBoolean(),
  );
