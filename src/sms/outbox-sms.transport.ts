import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SmsMessage, SmsTransport } from './sms-transport';

/** SMS_PROVIDER=outbox: each message becomes a JSON file in `data/outbox/sms/`, so the embedded default needs no gateway. */
export class OutboxSmsTransport implements SmsTransport {
  constructor(private readonly outboxDir: string) {}

  async send(message: SmsMessage): Promise<string> {
    await mkdir(this.outboxDir, { recursive: true });
    const file = join(this.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.json`);
    await writeFile(file, `${JSON.stringify(message, null, 2)}\n`, { mode: 0o600 });
    return `written to ${file}`;
  }
}
