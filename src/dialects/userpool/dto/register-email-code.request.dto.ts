import { CodeField, EmailField, ForceLoginField, OptionalPasswordField, ProfileField } from './userpool-fields.decorators';
import { UserpoolProfileDto } from './userpool-profile.dto';

/** Field order is check order: the first failing field decides the error code. */
export class RegisterEmailCodeRequestDto {
  @EmailField()
  email: string;

  @CodeField()
  code: string;

  @OptionalPasswordField("Meets the pool's strength level (2029 if not); without one the user signs in by email code only")
  password?: string;

  @ProfileField()
  profile?: UserpoolProfileDto;

  @ForceLoginField()
  forceLogin?: boolean;
}
