import { ApiProperty } from '@nestjs/swagger';

/** The documented shape of the `POST /api/sms/send` answer. */
export class SmsSendResultAttributesDto {
  @ApiProperty({ example: 60, description: 'Seconds before another code may be sent to this mobile for this type' })
  interval: number;
}

export class SmsSendResultResourceDto {
  @ApiProperty({ example: 'smssend' }) type: string;
  @ApiProperty({ example: '1' }) id: string;
  @ApiProperty({ type: SmsSendResultAttributesDto }) attributes: SmsSendResultAttributesDto;
}

export class SmsSendDocumentDto {
  @ApiProperty({ type: SmsSendResultResourceDto }) data: SmsSendResultResourceDto;
}
