import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The documented shape of `POST /api/refresh-token`; read by JsonApiRequestPipe. */
export class RefreshTokenAttributesDto {
  @ApiProperty({ example: 'Vh3kQ1mRrZ0d2Yc8...', description: 'The refresh_token of the last token document; single use' })
  refresh_token: string;
}

export class RefreshTokenResourceDto {
  @ApiPropertyOptional({ description: 'Not checked' })
  type?: string;

  @ApiProperty({ type: RefreshTokenAttributesDto })
  attributes: RefreshTokenAttributesDto;
}

export class RefreshTokenRequestDto {
  @ApiProperty({ type: RefreshTokenResourceDto })
  data: RefreshTokenResourceDto;
}
