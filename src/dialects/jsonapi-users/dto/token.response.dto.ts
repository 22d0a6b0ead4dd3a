import { ApiProperty } from '@nestjs/swagger';

/** The documented shape of the token document that register, login and refresh-token answer. */
export class TokenAttributesDto {
  @ApiProperty({ example: 'Bearer' })
  token_type: string;

  @ApiProperty({ example: 2592000, description: 'Seconds the access token lives (30 days); the refresh token lives as long' })
  expires_in: number;

  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...', description: 'HS256 JWT: sub = user id, aud = site:site' })
  access_token: string;

  @ApiProperty({ example: 'Vh3kQ1mRrZ0d2Yc8...', description: 'Opaque, single use; POST /api/refresh-token exchanges it' })
  refresh_token: string;
}

export class TokenResourceDto {
  @ApiProperty({ example: 'token' })
  type: string;

  @ApiProperty({ example: '1', description: 'The user id' })
  id: string;

  @ApiProperty({ type: TokenAttributesDto })
  attributes: TokenAttributesDto;
}

export class TokenDocumentDto {
  @ApiProperty({ type: TokenResourceDto })
  data: TokenResourceDto;
}
