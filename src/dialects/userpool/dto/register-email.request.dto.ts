import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty } from 'class-validator';
import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { errorCode } from '../../../error-codes/domain-validation.pipe';
import { IsEmailAddress } from '../../../users/email-address.validator';
import { ForceLoginField, PasswordField, ProfileField } from './userpool-fields.decorators';
import { UserpoolProfileDto } from './userpool-profile.dto';

const emailRequired = { context: errorCode(DomainErrorCode.EMAIL_REQUIRED) };

/** Field order is check order: the first failing field decides the error code. */
export class RegisterEmailRequestDto {
  @ApiProperty({ example: 'alice@example.com' })
  @IsDefined(emailRequired)
  @IsNotEmpty(emailRequired)
  @IsEmailAddress({ context: errorCode(DomainErrorCode.EMAIL_INVALID) })
  email: string;

  @PasswordField()
  password: string;

  @ProfileField()
  profile?: UserpoolProfileDto;

  @ForceLoginField()
  forceLogin?: boolean;
}
