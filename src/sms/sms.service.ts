import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { maskMobile } from '../users/phone';

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
 * Sends verification codes by SMS through the transport `SMS_PROVIDER` names; the embedded default
 * writes each message as a JSON file into `data/outbox/sms/`, so no gateway is needed to try it.
 * Throws when the transport refuses, so the caller can withdraw the code.
 */
@Injectable()
export class SmsService {
  private readonly logger = new Logger(SmsService.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async sendCode(message: SmsCode): Promise<void> {
    const { outboxDir } = this.config.sms;
    await mkdir(outboxDir, { recursive: true });
    const file = join(outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.json`);
    const body = {
      to: message.to,
      template: 'verify_code',
      params: { code: message.code, minutes: message.minutes },
      text: smsCodeText(message),
    };
    await writeFile(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
    this.logger.log(`SMS code to ${maskMobile(message.to)} written to ${file}`);
  }
}
