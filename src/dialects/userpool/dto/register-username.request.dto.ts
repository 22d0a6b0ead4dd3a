import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { errorCode } from '../../../error-codes/domain-validation.pipe';
import { ForceLoginField, PasswordField, ProfileField } from './userpool-fields.decorators';
import { UserpoolProfileDto } from './userpool-profile.dto';

const usernameRequired = { context: errorCode(DomainErrorCode.USERNAME_REQUIRED) };
const usernameInvalid = { context: errorCode(DomainErrorCode.USERNAME_INVALID) };

/** Field order is check order: the first failing field decides the error code. */
export class RegisterUsernameRequestDto {
  @ApiProperty({ example: 'alice', description: 'No control, invisible or surrounding space characters' })
  @IsDefined(usernameRequired)
  @IsNotEmpty(usernameRequired)
  @IsString(usernameInvalid)
  @MaxLength(64, usernameInvalid)
  username: string;

  @PasswordField()
  password: string;

  @ProfileField()
  profile?: UserpoolProfileDto;

  @ForceLoginField()
  forceLogin?: boolean;
}
