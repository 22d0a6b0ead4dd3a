import { OptionalPasswordField, PasswordField } from './userpool-fields.decorators';

/** Field order is check order: the first failing field decides the error code. */
export class UpdatePasswordRequestDto {
  @PasswordField("The new password; meets the pool's strength level (2029 if not)")
  newPassword: string;

  @OptionalPasswordField('The current password (2203 when wrong or missing); a user without one, made by an email code, sends none')
  oldPassword?: string;
}
