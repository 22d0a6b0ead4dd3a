import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty, IsOptional, IsString, Length, MaxLength, ValidateBy } from 'class-validator';
import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { errorCode } from '../../../error-codes/domain-validation.pipe';
import { IsEmailAddress } from '../../../users/email-address.validator';
import { IsCleanText } from '../../../users/text-field.validator';
import { EMAIL_MAX_LENGTH } from '../../../users/normalization';
import { DEVICE_ID_MAX_LENGTH, isDeviceId } from '../device-id';

/** Longest value of an optional text field (device ids, platform); the vendor documents none. */
export const TEXT_FIELD_MAX_LENGTH = 256;

/** An optional string such as a device id, stored as sent; controls, invisible characters and lone surrogates are refused. */
export const OptionalText = (example?: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: String, example }),
    IsOptional(),
    IsString(),
    MaxLength(TEXT_FIELD_MAX_LENGTH),
    IsCleanText(),
  );

/** A required string whose absence is `missing` and whose wrong type is `invalid`. */
export const RequiredText = (missing: DomainErrorCode, invalid: DomainErrorCode, example: string, maxLength: number) =>
  applyDecorators(
    ApiProperty({ type: String, example }),
    IsDefined({ context: errorCode(missing) }),
    IsNotEmpty({ context: errorCode(missing) }),
    IsString({ context: errorCode(invalid) }),
    MaxLength(maxLength, { context: errorCode(invalid) }),
  );

export const PasswordText = () => RequiredText(DomainErrorCode.PASSWORD_REQUIRED, DomainErrorCode.PASSWORD_INVALID, 'Tulip-Garden-42', 128);

export const EmailText = () =>
  applyDecorators(
    RequiredText(DomainErrorCode.EMAIL_REQUIRED, DomainErrorCode.EMAIL_INVALID, 'mou@example.com', EMAIL_MAX_LENGTH),
    IsEmailAddress({ context: errorCode(DomainErrorCode.EMAIL_INVALID) }),
  );

/** A device id or local uid (`device.id`, `anonymity.local_uid`, `login_device_id`): the rule of `isDeviceId`. */
export const DeviceIdText = (required: boolean, example: string) =>
  applyDecorators(
    (required ? ApiProperty : ApiPropertyOptional)({ type: String, example }),
    required ? IsDefined() : IsOptional(),
    IsString(),
    Length(1, DEVICE_ID_MAX_LENGTH),
    ValidateBy({
      name: 'isDeviceId',
      validator: {
        validate: (value) => isDeviceId(value),
        defaultMessage: () => '$property must be 1 to 256 characters without control, invisible or surrounding space characters',
      },
    }),
  );
