import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../site-settings';

/** The documented shape of `PATCH /api/users/{id}`: a password change; read by JsonApiRequestPipe. */
export class UserUpdateAttributesDto {
  @ApiPropertyOptional({ example: 'Tulip-Garden-42', description: 'The current password; not needed by an account without one' })
  password?: string;

  @ApiPropertyOptional({
    example: 'Maple-River-77',
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description: "The site's password rules, not the current password; without it nothing changes",
  })
  newPassword?: string;

  @ApiPropertyOptional({ example: 'Maple-River-77', description: 'newPassword again' })
  password_confirmation?: string;
}

export class UserUpdateResourceDto {
  @ApiPropertyOptional({ enum: ['users'], description: 'Optional; another type is 409' })
  type?: string;

  @ApiPropertyOptional({ example: '1', description: 'The web client repeats the user id here; not read' })
  id?: string;

  @ApiProperty({ type: UserUpdateAttributesDto })
  attributes: UserUpdateAttributesDto;
}

@ApiSchema({ name: 'JsonApiUserUpdateRequestDto' })
export class UserUpdateRequestDto {
  @ApiProperty({ type: UserUpdateResourceDto })
  data: UserUpdateResourceDto;
}
