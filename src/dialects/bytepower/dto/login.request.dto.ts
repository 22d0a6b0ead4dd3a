import { ApiSchema } from '@nestjs/swagger';
import { AnonymityCredentialsDto, CredentialObject, DeviceCredentialsDto, EmailPasswordDto, NamePasswordDto } from './credentials.dto';

/** Exactly one of `name_password`, `email_password`, `device` and `anonymity`. */
@ApiSchema({
  description:
    'Exactly one of `name_password`, `email_password`, `device` and `anonymity`. A device or anonymous login signs in as the ' +
    'user the id is bound to, or creates one (`is_new_user: true`) with no name, email or password.',
})
export class LoginRequestDto {
  @CredentialObject(NamePasswordDto)
  name_password?: NamePasswordDto;

  @CredentialObject(EmailPasswordDto)
  email_password?: EmailPasswordDto;

  @CredentialObject(DeviceCredentialsDto)
  device?: DeviceCredentialsDto;

  @CredentialObject(AnonymityCredentialsDto)
  anonymity?: AnonymityCredentialsDto;
}
