import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { UserEventPayload } from '../../src/events/user-event';
import type { WebhookDeliveriesService } from '../../src/webhooks/webhook-deliveries.service';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed body, once `standardwebhooks` verified it. */
  payload: UserEventPayload;
}

/**
 * A tenant's webhook receiver on 127.0.0.1, as docs/webhooks.md tells one to be written: it verifies every
 * request with `new Webhook(secret).verify(body, headers)` under each of its secrets (a request that verifies
 * under none is counted in `unverified` and answered 401), records it, and answers as `mode` says: `status`
 * (200 by default), `hang` (never), `close` (drops the connection), or `big` (a 2xx whose body never ends
 * within `bigBytes`); `answerHeaders` go with the answer (a redirect's `location`).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Requests that reached the receiver at all, verified or not. */
  requests = 0;
  unverified = 0;
  mode: 'status' | 'hang' | 'close' | 'big' = 'status';
  status = 200;
  answerHeaders: Record<string, string> = {};
  bigBytes = 64 * 1024 * 1024;
  /** For `big`: whether the whole body went out (it must not: the sender stops reading). */
  bigFinished?: Promise<boolean>;
  secrets: string[];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => this.handle(request, Buffer.concat(chunks).toString('utf8'), response));
  });

  constructor(...secrets: string[]) {
    this.secrets = secrets;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Listens on `port` (a free one by default); the URL to register. */
  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return this.url;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Stops at once, cutting held answers. */
  stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The webhook-ids received, one per request. */
  get ids(): string[] {
    return this.received.map((webhook) => String(webhook.headers['webhook-id']));
  }

  /** Resolves once `count` verified requests arrived, or rejects after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > until) {
        throw new Error(`expected ${count} webhooks, got ${this.received.length} (${this.unverified} unverified)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private handle(request: IncomingMessage, body: string, response: ServerResponse): void {
    this.requests += 1;
    const payload = this.verify(body, request.headers);
    if (payload === undefined) {
      this.unverified += 1;
      response.writeHead(401).end();
      return;
    }
    this.received.push({ headers: request.headers, body, payload });
    switch (this.mode) {
      case 'hang':
        return;
      case 'close':
        request.socket.destroy();
        return;
      case 'big':
        this.bigFinished = this.sendBig(response);
        return;
      default:
        response.writeHead(this.status, { 'content-type': 'application/json', ...this.answerHeaders }).end('{"ok":true}');
    }
  }

  private verify(body: string, headers: IncomingHttpHeaders): UserEventPayload | undefined {
    for (const secret of this.secrets) {
      try {
        return new Webhook(secret).verify(body, headers as Record<string, string>) as UserEventPayload;
      } catch {
        // Another secret may verify it.
      }
    }
    return undefined;
  }

  private sendBig(response: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      response.on('finish', () => resolve(true));
      response.on('close', () => resolve(response.writableFinished));
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      const write = () => {
        while (sent < this.bigBytes) {
          sent += chunk.length;
          if (!response.write(chunk)) {
            response.once('drain', write);
            return;
          }
        }
        response.end();
      };
      write();
    });
  }
}

/** A worker tick, then the sends it started: what a test runs where the worker's timer would tick. */
export async function tickAndSettle(deliveries: WebhookDeliveriesService): Promise<void> {
  await deliveries.tick();
  await deliveries.settled();
}
