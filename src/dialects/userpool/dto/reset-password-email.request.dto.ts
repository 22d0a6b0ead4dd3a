import { CodeField, EmailField, PasswordField } from './userpool-fields.decorators';

/** Field order is check order: the first failing field decides the error code. */
export class ResetPasswordEmailRequestDto {
  @EmailField()
  email: string;

  @CodeField()
  code: string;

  @PasswordField("The new password; meets the pool's strength level (2029 if not)")
  newPassword: string;
}
