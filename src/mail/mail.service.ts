import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';
import { maskEmail } from '../common/redact-url';
import { APP_CONFIG } from '../config/config.module';
import { MetricsService } from '../metrics/metrics.service';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends mail over SMTP when SMTP_URL is set; otherwise writes each message as an `.eml` file into
 * the outbox folder, so the embedded default needs no mail server.
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);
  private readonly transport: Transporter;
  private readonly outboxDir?: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    if (config.mail.smtpUrl) {
      this.transport = createTransport({
        url: config.mail.smtpUrl,
        connectionTimeout: 5000,
        greetingTimeout: 5000,
        socketTimeout: 10000,
      });
    } else {
      this.outboxDir = config.mail.outboxDir;
      this.transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    }
  }

  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.deliver(mail);
    } catch (error) {
      this.metrics.mailDelivered('failed');
      throw error;
    }
    this.metrics.mailDelivered('delivered');
  }

  private async deliver(mail: OutgoingMail): Promise<void> {
    const info = await this.transport.sendMail({ from: this.config.mail.from, ...mail });
    if (!this.outboxDir) {
      this.logger.log(`mail "${mail.subject}" sent to ${maskEmail(mail.to)} over SMTP`);
      return;
    }
    await mkdir(this.outboxDir, { recursive: true });
    const file = join(this.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`);
    await writeFile(file, info.message as Buffer, { mode: 0o600 });
    this.logger.log(`mail "${mail.subject}" to ${maskEmail(mail.to)} written to ${file}`);
  }
}
