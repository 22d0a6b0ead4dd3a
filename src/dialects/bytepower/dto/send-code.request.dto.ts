import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsIn } from 'class-validator';
import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { errorCode } from '../../../error-codes/domain-validation.pipe';
import { EmailText, OptionalText } from './bytepower-fields.decorators';

export const SIGN_UP_EMAIL = 'sign_up_email';
export const RESET_PASSWORD_EMAIL = 'reset_password_email';
export const CODE_TYPES = [SIGN_UP_EMAIL, RESET_PASSWORD_EMAIL] as const;
export type CodeType = (typeof CODE_TYPES)[number];

export class SendCodeRequestDto {
  @EmailText()
  email: string;

  @OptionalText('website')
  platform?: string;

  @ApiProperty({ type: String, description: '`sign_up_email` for a sign-up code, `reset_password_email` for a password reset code' })
  @IsDefined({ context: errorCode(DomainErrorCode.VERIFICATION_TYPE_UNSUPPORTED) })
  @IsIn(CODE_TYPES, { context: errorCode(DomainErrorCode.VERIFICATION_TYPE_UNSUPPORTED) })
  type: CodeType;
}
