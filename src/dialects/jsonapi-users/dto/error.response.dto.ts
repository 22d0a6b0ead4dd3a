import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The documented shape of every error document of this dialect. */
export class ErrorSourceDto {
  @ApiPropertyOptional({ example: '/data/attributes/username', description: 'The attribute at fault' })
  pointer?: string;

  @ApiPropertyOptional({ example: 'inviteCode', description: 'The query parameter at fault, on GET routes' })
  parameter?: string;
}

export class ErrorObjectDto {
  @ApiProperty({ example: '422', description: 'The HTTP status, as a string' })
  status: string;

  @ApiProperty({ example: 'validation_error' })
  code: string;

  @ApiProperty({
    type: [String],
    example: ['用户名 已经存在。'],
    description:
      'Messages (an array, as Discuz! Q sends them; clients show the first); Chinese unless Accept-Language asks for English. Empty where the web client acts on the code alone (no_bind_user, rebind_mp_wechat, pc_qrcode_scanning_code)',
  })
  detail: string[];

  @ApiPropertyOptional({ type: ErrorSourceDto, description: 'The attribute or query parameter at fault' })
  source?: ErrorSourceDto;

  @ApiPropertyOptional({
    example: { errcode: 40029 },
    description: "WeChat's errcode on the wechat_* errors; no_bind_user's token again",
    type: 'object',
    additionalProperties: true,
  })
  meta?: Record<string, unknown>;

  @ApiPropertyOptional({
    example: 'q2T9vXk4...40 characters',
    description: 'no_bind_user and rebind_mp_wechat: the session token a later register or login binds ("" from the mini program)',
  })
  token?: string;

  @ApiPropertyOptional({
    example: { nickname: '小明', headimgurl: 'https://thirdwx.qlogo.cn/...' },
    description: 'no_bind_user: what the client may show of the WeChat user ({username, headimgurl} from the mini program), or null',
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
  })
  user?: Record<string, string> | null;
}

export class ErrorDocumentDto {
  @ApiProperty({ type: [ErrorObjectDto], description: 'One object per failing attribute' })
  errors: ErrorObjectDto[];
}
