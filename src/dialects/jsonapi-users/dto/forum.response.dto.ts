import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The documented shape of `GET /api/forum`. */
export class SetSiteDto {
  @ApiProperty({ example: 'unireg', description: 'site set --name' }) site_name: string;
  @ApiProperty({ example: 'unireg' }) site_title: string;
  @ApiProperty({ example: 'public' }) site_mode: string;
  @ApiProperty({ example: false }) site_close: boolean;
  @ApiProperty({ example: 'http://localhost:3000' }) site_url: string;
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' }) site_install: string;
  @ApiProperty({ type: Object, nullable: true, example: null, description: 'Always null: unireg keeps no site author' }) site_author:
    object | null;
}

export class SetRegDto {
  @ApiProperty({ description: 'Inverted, as in the original: true when registration is open (review mode included)' })
  register_close: boolean;
  @ApiProperty({ description: 'true in review mode' }) register_validate: boolean;
  @ApiProperty({ example: false }) register_captcha: boolean;
  @ApiProperty({ example: 6, description: 'site set --password-length (the rule is max(6, this))' }) password_length: number;
  @ApiProperty({ type: [String], example: ['0', '1'], description: '"0" digits, "1" lowercase, "2" symbols, "3" uppercase' })
  password_strength: string[];
  @ApiProperty({
    enum: [0, 1, 2],
    example: 0,
    description: 'site set --register-type: what the client offers first, 0 username, 1 phone, 2 WeChat',
  })
  register_type: number;
}

export class PassportDto {
  @ApiProperty({ example: false }) offiaccount_close: boolean;
  @ApiProperty({ example: false }) miniprogram_close: boolean;
  @ApiProperty({ example: false }) oplatform_close: boolean;
}

export class QcloudDto {
  @ApiProperty({ example: false, description: 'site set --sms: SMS codes (/api/sms/send, /api/sms/verify) are offered' })
  qcloud_sms: boolean;
  @ApiProperty({ example: false }) qcloud_captcha: boolean;
  @ApiProperty({ example: '' }) qcloud_captcha_app_id: string;
}

export class ForumAttributesDto {
  @ApiProperty({ type: SetSiteDto }) set_site: SetSiteDto;
  @ApiProperty({ type: SetRegDto }) set_reg: SetRegDto;
  @ApiProperty({ type: PassportDto }) passport: PassportDto;
  @ApiProperty({ type: QcloudDto }) qcloud: QcloudDto;
  @ApiProperty({ example: { privacy: false, privacy_content: '', register: false, register_content: '' } }) agreement: object;
  @ApiPropertyOptional({
    description: "With a valid Bearer token: the viewer's groups and registration time",
    example: { groups: [{ id: 10, name: '普通会员' }], register_time: '2026-01-01T00:00:00.000Z' },
  })
  user?: object;
}

export class ForumResourceDto {
  @ApiProperty({ example: 'forums' }) type: string;
  @ApiProperty({ example: '1' }) id: string;
  @ApiProperty({ type: ForumAttributesDto }) attributes: ForumAttributesDto;
}

export class ForumDocumentDto {
  @ApiProperty({ type: ForumResourceDto }) data: ForumResourceDto;
}
