import { EmailField, ForceLoginField, PasswordField, ProfileField } from './userpool-fields.decorators';
import { UserpoolProfileDto } from './userpool-profile.dto';

/** Field order is check order: the first failing field decides the error code. */
export class RegisterEmailRequestDto {
  @EmailField()
  email: string;

  @PasswordField()
  password: string;

  @ProfileField()
  profile?: UserpoolProfileDto;

  @ForceLoginField()
  forceLogin?: boolean;
}
