import { ApiSchema } from '@nestjs/swagger';
import { CredentialObject, EmailSignupDto, NamePasswordDto } from './credentials.dto';
import { DeviceFieldsDto } from './device-fields.dto';

/** Exactly one of `name_password` and `email_password`, plus optional device fields. */
@ApiSchema({ description: 'Exactly one of `name_password` and `email_password`, plus any device fields.' })
export class SignupRequestDto extends DeviceFieldsDto {
  @CredentialObject(NamePasswordDto)
  name_password?: NamePasswordDto;

  @CredentialObject(EmailSignupDto)
  email_password?: EmailSignupDto;
}
