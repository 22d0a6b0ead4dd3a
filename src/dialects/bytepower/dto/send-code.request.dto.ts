import { ApiProperty } from '@nestjs/swagger';
import { Equals, IsDefined } from 'class-validator';
import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { errorCode } from '../../../error-codes/domain-validation.pipe';
import { EmailText, OptionalText } from './bytepower-fields.decorators';

export const SIGN_UP_EMAIL = 'sign_up_email';

export class SendCodeRequestDto {
  @EmailText()
  email: string;

  @OptionalText('website')
  platform?: string;

  @ApiProperty({ type: String })
  @IsDefined({ context: errorCode(DomainErrorCode.VERIFICATION_TYPE_UNSUPPORTED) })
  @Equals(SIGN_UP_EMAIL, { context: errorCode(DomainErrorCode.VERIFICATION_TYPE_UNSUPPORTED) })
  type: typeof SIGN_UP_EMAIL;
}
