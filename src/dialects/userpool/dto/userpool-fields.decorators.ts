import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { errorCode } from '../../../error-codes/domain-validation.pipe';
import { IsEmailAddress } from '../../../users/email-address.validator';
import { BCRYPT_MAX_BYTES } from '../../../users/password-hasher.service';
import { UserpoolProfileDto } from './userpool-profile.dto';

const passwordRequired = { context: errorCode(DomainErrorCode.PASSWORD_REQUIRED) };
const emailRequired = { context: errorCode(DomainErrorCode.EMAIL_REQUIRED) };
const codeRequired = { context: errorCode(DomainErrorCode.VERIFICATION_CODE_REQUIRED) };
const codeInvalid = { context: errorCode(DomainErrorCode.VERIFICATION_CODE_INVALID) };

/** Fields the userpool requests share, so the DTOs keep one definition of each. */
export const PasswordField = (description = `Meets the pool's strength level (2029 if not); at most ${BCRYPT_MAX_BYTES} bytes in UTF-8`) =>
  applyDecorators(
    ApiProperty({ example: 'Tulip-Garden-42', description }),
    IsDefined(passwordRequired),
    IsNotEmpty(passwordRequired),
    IsString({ context: errorCode(DomainErrorCode.PASSWORD_INVALID) }),
  );

/** Optional, but when present a non-empty string like `PasswordField`. */
export const OptionalPasswordField = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ example: 'Tulip-Garden-42', description }),
    IsOptional(),
    IsNotEmpty(passwordRequired),
    IsString({ context: errorCode(DomainErrorCode.PASSWORD_INVALID) }),
  );

export const EmailField = () =>
  applyDecorators(
    ApiProperty({ example: 'alice@example.com' }),
    IsDefined(emailRequired),
    IsNotEmpty(emailRequired),
    IsEmailAddress({ context: errorCode(DomainErrorCode.EMAIL_INVALID) }),
  );

/** A code from `POST /api/v1/email/send`: six digits as sent, though any short string is only a wrong code (2001). */
export const CodeField = () =>
  applyDecorators(
    ApiProperty({ example: '123456', description: 'The code mailed by POST /api/v1/email/send' }),
    IsDefined(codeRequired),
    IsNotEmpty(codeRequired),
    IsString(codeInvalid),
    MaxLength(32, codeInvalid),
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
