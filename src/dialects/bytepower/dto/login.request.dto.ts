import { ApiSchema } from '@nestjs/swagger';
import { CredentialObject, EmailPasswordDto, NamePasswordDto } from './credentials.dto';

/** Exactly one of `name_password` and `email_password`. */
@ApiSchema({ description: 'Exactly one of `name_password` and `email_password`.' })
export class LoginRequestDto {
  @CredentialObject(NamePasswordDto)
  name_password?: NamePasswordDto;

  @CredentialObject(EmailPasswordDto)
  email_password?: EmailPasswordDto;
}
