import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty, IsString, MaxLength, ValidateBy, ValidationOptions } from 'class-validator';
import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { errorCode } from '../../../error-codes/domain-validation.pipe';
import { isValidEmail } from '../../../users/normalization';
import { ForceLoginField, PasswordField, ProfileField } from './userpool-fields.decorators';
import { UserpoolProfileDto } from './userpool-profile.dto';

const usernameRequired = { context: errorCode(DomainErrorCode.USERNAME_REQUIRED) };
const usernameInvalid = { context: errorCode(DomainErrorCode.USERNAME_INVALID) };

/** login/account reads an account that is a valid email address as an email, so such a username could never sign in. */
function IsNotEmailAddress(options: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isNotEmailAddress', validator: { validate: (value) => typeof value !== 'string' || !isValidEmail(value) } },
    options,
  );
}

/** Field order is check order: the first failing field decides the error code. */
export class RegisterUsernameRequestDto {
  @ApiProperty({ example: 'alice', description: 'No control, invisible or surrounding space characters, and no email address' })
  @IsDefined(usernameRequired)
  @IsNotEmpty(usernameRequired)
  @IsString(usernameInvalid)
  @MaxLength(64, usernameInvalid)
  @IsNotEmailAddress(usernameInvalid)
  username: string;

  @PasswordField()
  password: string;

  @ProfileField()
  profile?: UserpoolProfileDto;

  @ForceLoginField()
  forceLogin?: boolean;
}
