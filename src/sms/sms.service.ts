import { Inject, Injectable, Logger } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { maskMobile } from '../users/phone';
import { SMS_TRANSPORT, SmsMessage, SmsTransport } from './sms-transport';

/** A verification code for one mobile; `to` is E.164 (`normalizeMobile`). */
export interface SmsCode {
  to: string;
  code: string;
  /** How long the code lives, for the text. */
  minutes: number;
}

/** The text every transport sends, the code inside it (docs/operations.md "SMS"). */
export const smsCodeText = (message: SmsCode): string =>
  `Your verification code is ${message.code}. It expires in ${message.minutes} minutes. 验证码 ${message.code}，${message.minutes} 分钟内有效。`;

/**
 * Sends verification codes by SMS through the transport SMS_PROVIDER names (`SmsModule`); the embedded default
 * writes each message as a JSON file into `data/outbox/sms/`, so no gateway is needed to try it.
 * Throws when the transport refuses, so the caller can withdraw the code.
 */
@Injectable()
export class SmsService {
  private readonly logger = new Logger(SmsService.name);

  constructor(
    @Inject(SMS_TRANSPORT) private readonly transport: SmsTransport,
    private readonly metrics: MetricsService,
  ) {}

  async sendCode(code: SmsCode): Promise<void> {
    const message: SmsMessage = {
      to: code.to,
      template: 'verify_code',
      params: { code: code.code, minutes: code.minutes },
      text: smsCodeText(code),
    };
    let sent: string;
    try {
      sent = await this.transport.send(message);
    } catch (error) {
      this.metrics.smsSent('failed');
      this.logger.warn(`SMS code to ${maskMobile(code.to)} not sent: ${(error as Error).message}`);
      throw error;
    }
    this.metrics.smsSent('sent');
    this.logger.log(`SMS code to ${maskMobile(code.to)} ${sent}`);
  }
}
