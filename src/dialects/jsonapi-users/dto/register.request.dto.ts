import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BCRYPT_MAX_BYTES } from '../../../users/password-hasher.service';
import { ANONYMOUS_USERNAME, REGISTER_REASON_MAX_LENGTH, USERNAME_MAX_LENGTH } from '../registration-rules';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../site-settings';

/**
 * The documented shape of `POST /api/register`; the body is read by JsonApiRequestPipe and checked by the
 * service, which reports every failing attribute at once. The limits are the constants the service checks;
 * unknown attributes are ignored, so the attributes schema stays open.
 */
export class RegisterAttributesDto {
  @ApiProperty({
    example: 'alice',
    description: `All white space is removed; then 1 to ${USERNAME_MAX_LENGTH} characters, unique on the site, not ${ANONYMOUS_USERNAME} nor a banned word`,
  })
  username: string;

  @ApiProperty({
    example: 'Blue-Harbor-42',
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description: `max(${PASSWORD_MIN_LENGTH}, site password length) to ${PASSWORD_MAX_LENGTH} characters, at most ${BCRYPT_MAX_BYTES} bytes, with the site's strength rules`,
  })
  password: string;

  @ApiPropertyOptional({
    example: '想参与讨论',
    maxLength: REGISTER_REASON_MAX_LENGTH,
    description: `At most ${REGISTER_REASON_MAX_LENGTH} characters; required and not blank when the site reviews registrations`,
  })
  register_reason?: string;

  @ApiPropertyOptional({
    example: 'K7M2Q9XW4B',
    description: 'An unused invite code of the site (case-insensitive); required when the site says so',
  })
  code?: string;
}

export class RegisterResourceDto {
  @ApiPropertyOptional({
    enum: ['users'],
    description: 'Optional: a resource without type is a users resource (the web client sends none); another type is 409',
  })
  type?: string;

  @ApiProperty({ type: RegisterAttributesDto })
  attributes: RegisterAttributesDto;
}

export class RegisterRequestDto {
  @ApiProperty({ type: RegisterResourceDto })
  data: RegisterResourceDto;
}
