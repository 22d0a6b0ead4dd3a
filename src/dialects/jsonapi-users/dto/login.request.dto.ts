import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The documented shape of `POST /api/login`; read by JsonApiRequestPipe. */
export class LoginAttributesDto {
  @ApiProperty({ example: 'alice', description: 'White space is removed, as at registration' })
  username: string;

  @ApiProperty({ example: 'secret123' })
  password: string;
}

export class LoginResourceDto {
  @ApiPropertyOptional({ description: 'Not checked' })
  type?: string;

  @ApiProperty({ type: LoginAttributesDto })
  attributes: LoginAttributesDto;
}

export class LoginRequestDto {
  @ApiProperty({ type: LoginResourceDto })
  data: LoginResourceDto;
}
