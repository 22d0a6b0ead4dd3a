import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { maskUrl } from '../config/app-config';
import { SmsMessage, SmsTransport } from './sms-transport';

const TIMEOUT_MS = 10_000;

/**
 * SMS_PROVIDER=http: a JSON POST of the message to SMS_URL, signed the Standard Webhooks way under SMS_SECRET,
 * so that any gateway can check with a stock library that the request comes from unireg and is fresh.
 * Any 2xx is sent; anything else, a redirect included, is a refusal.
 */
export class HttpSmsTransport implements SmsTransport {
  private readonly webhook: Webhook;
  private readonly shownUrl: string;

  /** `timeoutMs` is the whole exchange's limit; only the tests shorten it. */
  constructor(
    private readonly settings: { url: string; secret: string },
    private readonly timeoutMs = TIMEOUT_MS,
  ) {
    this.webhook = new Webhook(settings.secret);
    this.shownUrl = `SMS_URL ${maskUrl(settings.url)}`;
  }

  async send(message: SmsMessage): Promise<string> {
    const body = JSON.stringify(message);
    const id = `msg_${randomUUID()}`;
    // Wall time, not the injectable Clock: the receiver checks it against its own clock to refuse replays.
    const signedAt = new Date();
    let response: Response;
    try {
      response = await fetch(this.settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'unireg',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
          'webhook-signature': this.webhook.sign(id, signedAt, body),
        },
        body,
        // A redirect would carry the code to a host nobody configured.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new Error(`${this.shownUrl} ${this.unreachable(error)}`, { cause: error });
    }
    // Nothing in the answer is needed, and a gateway may echo the text (and with it the code): it is never read.
    await response.body?.cancel();
    if (response.status < 200 || response.status > 299) {
      throw new Error(`${this.shownUrl} answered HTTP ${response.status}`);
    }
    return `accepted by ${this.shownUrl} (HTTP ${response.status})`;
  }

  private unreachable(error: unknown): string {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      return `did not answer within ${this.timeoutMs / 1000} s`;
    }
    // fetch says only "fetch failed"; the socket's error code (ECONNREFUSED, ENOTFOUND) is in its cause.
    const { cause } = error as { cause?: { code?: string; message?: string } };
    return `could not be reached (${cause?.code ?? cause?.message ?? (error as Error).message})`;
  }
}
