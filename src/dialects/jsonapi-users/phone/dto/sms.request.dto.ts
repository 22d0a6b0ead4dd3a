import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SMS_TYPES } from '../sms-codes.service';

const TYPE_DESCRIPTION =
  "login (anyone), bind and rebind (a new mobile for the caller), reset_pwd (a mobile a user has), verify (the caller's own mobile; `mobile` is not read)";

/** The documented shape of `POST /api/sms/send`; read by JsonApiRequestPipe, checked by the service. */
export class SmsSendAttributesDto {
  @ApiProperty({ enum: SMS_TYPES, description: TYPE_DESCRIPTION })
  type: string;

  @ApiPropertyOptional({
    example: '13800138000',
    description: 'A mainland mobile (11 digits, 1[3-9]...) or E.164 with +; required but for verify',
  })
  mobile?: string;
}

export class SmsSendResourceDto {
  @ApiPropertyOptional({ example: 'sms/send', description: 'Not checked: the web client sends sms/send or nothing' })
  type?: string;

  @ApiProperty({ type: SmsSendAttributesDto })
  attributes: SmsSendAttributesDto;
}

export class SmsSendRequestDto {
  @ApiProperty({ type: SmsSendResourceDto })
  data: SmsSendResourceDto;
}

/** The documented shape of `POST /api/sms/verify`. */
export class SmsVerifyAttributesDto extends SmsSendAttributesDto {
  @ApiProperty({ example: '123456', description: 'The 6 digits the SMS carried; 5 minutes, single use, 5 wrong tries' })
  code: string;

  @ApiPropertyOptional({
    example: 1,
    description: 'login: 1 creates the user when no user has the mobile (open site; pending in review mode)',
  })
  register?: number;

  @ApiPropertyOptional({ example: 'K7M2Q9XW4B', description: 'login with register: an invite code, as `code` at /api/register' })
  inviteCode?: string;

  @ApiPropertyOptional({
    example: 'Tulip-Garden-42',
    description: 'reset_pwd: the new password (the site rules, not the current one); without it the code is only checked',
  })
  password?: string;
}

export class SmsVerifyResourceDto {
  @ApiPropertyOptional({ example: 'sms/verify', description: 'Not checked: the web client sends sms/verify or nothing' })
  type?: string;

  @ApiProperty({ type: SmsVerifyAttributesDto })
  attributes: SmsVerifyAttributesDto;
}

export class SmsVerifyRequestDto {
  @ApiProperty({ type: SmsVerifyResourceDto })
  data: SmsVerifyResourceDto;
}
