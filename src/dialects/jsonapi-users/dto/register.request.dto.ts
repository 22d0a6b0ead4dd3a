import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The documented shape of `POST /api/register`; the body is read by JsonApiRequestPipe and checked by the
 * service, which reports every failing attribute at once.
 */
export class RegisterAttributesDto {
  @ApiProperty({ example: 'alice', description: 'All white space is removed; then 1 to 15 characters, unique on the site, not 匿名用户 nor a banned word' })
  username: string;

  @ApiProperty({ example: 'secret123', description: 'max(6, site password length) to 50 characters, at most 72 bytes, with the site\'s strength rules' })
  password: string;

  @ApiPropertyOptional({ example: '想参与讨论', description: 'At most 50 characters; required and not blank when the site reviews registrations' })
  register_reason?: string;

  @ApiPropertyOptional({ example: 'K7M2Q9XW4B', description: 'An unused invite code of the site (case-insensitive); required when the site says so' })
  code?: string;
}

export class RegisterResourceDto {
  @ApiPropertyOptional({ enum: ['users'], description: 'Optional: a resource without type is a users resource (the web client sends none); another type is 409' })
  type?: string;

  @ApiProperty({ type: RegisterAttributesDto })
  attributes: RegisterAttributesDto;
}

export class RegisterRequestDto {
  @ApiProperty({ type: RegisterResourceDto })
  data: RegisterResourceDto;
}
