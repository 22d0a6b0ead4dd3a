import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { SmsMessage } from '../../src/sms/sms-transport';

/** A Standard Webhooks secret for tests: `whsec_` and 32 bytes in Base64. */
export const TEST_SMS_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

/** A port nothing listens on (it was free a moment ago), for "connection refused". */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One HTTP server on 127.0.0.1, started and stopped by the test. */
abstract class LoopbackServer {
  private readonly server: Server = createServer((request, response) => {
    readBody(request).then(
      (body) => this.handle(request, body, response),
      () => response.destroy(),
    );
  });

  protected abstract handle(request: IncomingMessage, body: string, response: ServerResponse): void;

  /** Listens on a free port; the base URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.origin;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops at once, also cutting the answers a test held back. */
  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface ReceivedSms {
  headers: IncomingHttpHeaders;
  body: string;
  message: SmsMessage;
}

/**
 * An SMS gateway for SMS_PROVIDER=http, as docs/operations.md "SMS" tells one to be written: it verifies each
 * request with `standardwebhooks` under its secret and answers 401 to a request that fails; a verified one is
 * recorded and answered `status`, or never answered while `hang` is set (a gateway that stalls).
 */
export class SmsGatewayStandIn extends LoopbackServer {
  readonly received: ReceivedSms[] = [];
  /** Requests refused because their signature did not verify. */
  unsigned = 0;
  status = 200;
  /** Sent with the answer, e.g. a `location` for a redirect. */
  answerHeaders: Record<string, string> = {};
  hang = false;

  constructor(readonly secret = TEST_SMS_SECRET) {
    super();
  }

  get url(): string {
    return `${this.origin}/sms`;
  }

  /** What the app's environment needs to send through this gateway, once started. */
  env(): Record<string, string> {
    return { SMS_PROVIDER: 'http', SMS_URL: this.url, SMS_SECRET: this.secret };
  }

  /** The code of the last SMS received for `mobile` (E.164). */
  lastCode(mobile: string): string {
    const sms = [...this.received].reverse().find((received) => received.message.to === mobile);
    if (!sms) {
      throw new Error(`no SMS was sent to ${mobile}`);
    }
    return sms.message.params.code;
  }

  protected handle(request: IncomingMessage, body: string, response: ServerResponse): void {
    let message: SmsMessage;
    try {
      message = new Webhook(this.secret).verify(body, request.headers as Record<string, string>) as SmsMessage;
    } catch {
      this.unsigned += 1;
      response.writeHead(401).end();
      return;
    }
    this.received.push({ headers: request.headers, body, message });
    if (!this.hang) {
      response.writeHead(this.status, { 'content-type': 'application/json', ...this.answerHeaders }).end('{"ok":true}');
    }
  }
}

export interface TencentcloudCredentials {
  secretId: string;
  secretKey: string;
}

export interface TencentcloudRequest {
  headers: IncomingHttpHeaders;
  body: string;
  /** The SendSms parameters. */
  params: Record<string, unknown>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest();

/**
 * Tencent Cloud's SMS API for SMS_PROVIDER=tencentcloud: checks the TC3-HMAC-SHA256 signature with its own
 * reading of Tencent's signing document (https://cloud.tencent.com/document/api/382/52072), answers a wrong one
 * with `AuthFailure.SignatureFailure` as Tencent does, and otherwise answers per `answer`: every number sent,
 * an API error, one number's failed status, or an HTTP status.
 */
export class TencentcloudSmsStandIn extends LoopbackServer {
  readonly requests: TencentcloudRequest[] = [];
  answer: 'ok' | { error: { Code: string; Message: string } } | { statusCode: string; statusMessage: string } | { http: number } = 'ok';
  private serial = 0;

  constructor(readonly credentials: TencentcloudCredentials = { secretId: 'AKIDstandin0000000000', secretKey: 'standin-secret-key-0000' }) {
    super();
  }

  /** What the app's environment needs to send through this stand-in, once started. */
  env(): Record<string, string> {
    return {
      SMS_PROVIDER: 'tencentcloud',
      TENCENTCLOUD_SECRET_ID: this.credentials.secretId,
      TENCENTCLOUD_SECRET_KEY: this.credentials.secretKey,
      TENCENTCLOUD_SMS_SDK_APP_ID: '1400006666',
      TENCENTCLOUD_SMS_SIGN: '统一注册',
      TENCENTCLOUD_SMS_TEMPLATE_ID: '1110',
      TENCENTCLOUD_SMS_ENDPOINT: this.origin,
    };
  }

  protected handle(request: IncomingMessage, body: string, response: ServerResponse): void {
    const requestId = `c0ffee00-0000-4000-8000-${String(++this.serial).padStart(12, '0')}`;
    const answer = (status: number, json: object) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    if (!this.signatureValid(request, body)) {
      answer(200, {
        Response: {
          Error: { Code: 'AuthFailure.SignatureFailure', Message: 'The provided credentials could not be validated.' },
          RequestId: requestId,
        },
      });
      return;
    }
    const params = JSON.parse(body) as Record<string, unknown>;
    this.requests.push({ headers: request.headers, body, params });
    const numbers = (params.PhoneNumberSet as string[] | undefined) ?? [];
    if (this.answer === 'ok' || 'statusCode' in this.answer) {
      const [code, message] = this.answer === 'ok' ? ['Ok', 'send success'] : [this.answer.statusCode, this.answer.statusMessage];
      const statuses = numbers.map((number) => ({
        SerialNo: `5000:${this.serial}`,
        PhoneNumber: number,
        Fee: 1,
        SessionContext: '',
        Code: code,
        Message: message,
        IsoCode: 'CN',
      }));
      answer(200, { Response: { SendStatusSet: statuses, RequestId: requestId } });
    } else if ('error' in this.answer) {
      answer(200, { Response: { Error: this.answer.error, RequestId: requestId } });
    } else {
      answer(this.answer.http, { message: 'gateway failure' });
    }
  }

  /**
   * The canonical request signs the content type and the host (Tencent's hosts have no port; the SDK signs the
   * host name alone, so the port of this stand-in is left out too).
   */
  private signatureValid(request: IncomingMessage, body: string): boolean {
    const match =
      /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=content-type;host, Signature=([0-9a-f]{64})$/.exec(
        request.headers.authorization ?? '',
      );
    const timestamp = Number(request.headers['x-tc-timestamp']);
    if (!match || match[1] !== this.credentials.secretId || !Number.isInteger(timestamp)) {
      return false;
    }
    const [, , date, service, signature] = match;
    if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) {
      return false;
    }
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const headers = `content-type:${request.headers['content-type']}\nhost:${url.hostname}\n`;
    const canonical = [request.method, url.pathname, url.search.slice(1), headers, 'content-type;host', sha256(body)].join('\n');
    const toSign = ['TC3-HMAC-SHA256', String(timestamp), `${date}/${service}/tc3_request`, sha256(canonical)].join('\n');
    const key = hmac(hmac(hmac(`TC3${this.credentials.secretKey}`, date), service), 'tc3_request');
    return timingSafeEqual(hmac(key, toSign), Buffer.from(signature, 'hex'));
  }
}
