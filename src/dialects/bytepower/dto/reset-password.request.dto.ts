import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { EmailText, PasswordText, RequiredText } from './bytepower-fields.decorators';

/** The longest `verify_code` taken, as in a sign-up; a real one has six digits. */
export const VERIFY_CODE_MAX_LENGTH = 32;

/** A new password for the user with `email`, proved by the code `send_email_verify_code` mailed with type `reset_password_email`. */
export class ResetPasswordRequestDto {
  @EmailText()
  email: string;

  @RequiredText(DomainErrorCode.VERIFICATION_CODE_REQUIRED, DomainErrorCode.VALIDATION_FAILED, '123456', VERIFY_CODE_MAX_LENGTH)
  verify_code: string;

  @PasswordText()
  password: string;
}
