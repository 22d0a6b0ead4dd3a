import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { bareHost, publicOnlyLookup, refusedRange, WebhookUrlError } from './webhook-address';

/** How long one attempt may take, connection to last byte read; tests inject a shorter one. */
export const WEBHOOK_TIMEOUT_MS = Symbol('WEBHOOK_TIMEOUT_MS');
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 15_000;
/** Bytes of an answer read before the connection is dropped: nothing in it is used. */
export const RESPONSE_READ_LIMIT = 4096;

/** What one attempt came to: the receiver's HTTP status, why there was none, or that this instance cut it short (shutting down). */
export type SendOutcome = { status: number } | { error: string } | { aborted: true };

/**
 * POSTs one signed event. node:http rather than fetch, so that the connection goes through `publicOnlyLookup`
 * (unless WEBHOOK_ALLOW_PRIVATE=true), redirects are never followed (a 3xx is the receiver's answer, a failure),
 * and the answer is cut after RESPONSE_READ_LIMIT bytes.
 */
@Injectable()
export class WebhookSender {
  private readonly allowPrivate: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(WEBHOOK_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {
    this.allowPrivate = config.webhooks.allowPrivate;
  }

  send(target: string, headers: Record<string, string>, body: string, signal?: AbortSignal): Promise<SendOutcome> {
    const url = new URL(target);
    const host = bareHost(url);
    // A literal address never reaches `lookup`, so it is judged here.
    const range = this.allowPrivate || !isIP(host) ? undefined : refusedRange(host);
    if (range) {
      return Promise.resolve({ error: `refused: ${host} is a ${range} address` });
    }
    if (signal?.aborted) {
      return Promise.resolve({ aborted: true });
    }
    return new Promise<SendOutcome>((resolve) => {
      let settled = false;
      const settle = (outcome: SendOutcome) => {
        if (!settled) {
          settled = true;
          resolve(outcome);
        }
      };
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: false,
        lookup: this.allowPrivate ? undefined : publicOnlyLookup,
      });
      // Also ends an answer whose status came in time but whose body trickles on.
      const timer = setTimeout(() => {
        settle({ error: `no answer within ${this.timeoutMs / 1000} s` });
        request.destroy();
      }, this.timeoutMs);
      const abort = () => {
        settle({ aborted: true });
        request.destroy();
      };
      signal?.addEventListener('abort', abort, { once: true });
      request.on('close', () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
      });
      request.on('error', (error: Error & { code?: string }) => {
        settle({ error: error instanceof WebhookUrlError ? `refused: ${error.message}` : (error.code ?? error.message) });
      });
      request.on('response', (response: IncomingMessage) => {
        settle({ status: response.statusCode ?? 0 });
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read >= RESPONSE_READ_LIMIT) {
            request.destroy();
          }
        });
        response.on('error', () => undefined);
      });
      request.end(body);
    });
  }
}
