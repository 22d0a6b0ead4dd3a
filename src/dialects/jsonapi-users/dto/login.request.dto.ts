import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** The documented shape of `POST /api/login`; read by JsonApiRequestPipe. */
export class LoginAttributesDto {
  @ApiProperty({ example: 'alice', description: 'White space is removed, as at registration' })
  username: string;

  @ApiProperty({ example: 'Blue-Harbor-42' })
  password: string;
}

export class LoginResourceDto {
  @ApiPropertyOptional({ description: 'Not checked' })
  type?: string;

  @ApiProperty({ type: LoginAttributesDto })
  attributes: LoginAttributesDto;
}

// bytepower has a LoginRequestDto too, and the document holds one schema per name.
@ApiSchema({ name: 'JsonApiLoginRequestDto' })
export class LoginRequestDto {
  @ApiProperty({ type: LoginResourceDto })
  data: LoginResourceDto;
}
