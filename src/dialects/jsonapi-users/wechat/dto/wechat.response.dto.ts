import { ApiProperty } from '@nestjs/swagger';

/** The documented shape of the PC QR login's code. */
export class PcQrCodeAttributesDto {
  @ApiProperty({ example: 'q2T9...40 characters', description: 'Poll GET /api/oauth/wechat/pc/login/{session_token}; lives 5 minutes' })
  session_token: string;

  @ApiProperty({ example: 'data:image/png;base64,iVBORw0KGgo...', description: 'A PNG of the PUBLIC_URL address the phone opens' })
  base64_img: string;
}

export class PcQrCodeResourceDto {
  @ApiProperty({ example: 'wechat_pc_code' })
  type: string;

  @ApiProperty({ example: '1' })
  id: string;

  @ApiProperty({ type: PcQrCodeAttributesDto })
  attributes: PcQrCodeAttributesDto;
}

export class PcQrCodeDocumentDto {
  @ApiProperty({ type: PcQrCodeResourceDto })
  data: PcQrCodeResourceDto;
}

export class PcLoginAttributesDto {
  @ApiProperty({ example: true })
  pc_login: boolean;
}

export class PcLoginResourceDto {
  @ApiProperty({ example: 'wechat_pc_login' })
  type: string;

  @ApiProperty({ example: '1' })
  id: string;

  @ApiProperty({ type: PcLoginAttributesDto })
  attributes: PcLoginAttributesDto;
}

/** What the phone of a PC QR login is told once WeChat has named its user; the PC's poll answers the rest. */
export class PcLoginDocumentDto {
  @ApiProperty({ type: PcLoginResourceDto })
  data: PcLoginResourceDto;
}
