import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The documented shape of `POST /api/oauth/wechat/miniprogram`; the body is read by JsonApiRequestPipe and
 * checked by the service. `js_code`, `iv` and `encryptedData` are also taken by register and login, to bind.
 */
export class MiniProgramLoginAttributesDto {
  @ApiProperty({ example: '0a3Xk1000kXfGL1mJp100Gm3Xk3Xk10E', description: "wx.login()'s code; WeChat takes each once" })
  js_code: string;

  @ApiProperty({ example: 'r7BXXKkLb8qrSNn05n0qiA==', description: "wx.getUserInfo()'s iv (Base64, 16 bytes)" })
  iv: string;

  @ApiProperty({ example: 'CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZM...', description: "wx.getUserInfo()'s encryptedData (Base64, AES-128-CBC)" })
  encryptedData: string;

  @ApiPropertyOptional({ example: 1, description: 'Truthy: an unbound WeChat user is registered (open sites) and bound' })
  register?: number;

  @ApiPropertyOptional({
    example: 0,
    description: 'Truthy with register: the WeChat user is moved from the account it is bound to onto the new one',
  })
  rebind?: number;

  @ApiPropertyOptional({ example: 'K7M2Q9XW4B', description: 'An invite code, as at register' })
  code?: string;
}

export class MiniProgramLoginResourceDto {
  @ApiPropertyOptional({ description: 'Any or none' })
  type?: string;

  @ApiProperty({ type: MiniProgramLoginAttributesDto })
  attributes: MiniProgramLoginAttributesDto;
}

export class MiniProgramLoginRequestDto {
  @ApiProperty({ type: MiniProgramLoginResourceDto })
  data: MiniProgramLoginResourceDto;
}
