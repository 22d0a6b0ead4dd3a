import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler';
import type { Request } from 'express';
import { clientOf } from './client-address';

/**
 * @nestjs/throttler's guard, answering with the IETF header names (draft-ietf-httpapi-ratelimit-headers):
 * `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (seconds) and `RateLimit-Policy` on every
 * guarded response, and `Retry-After` (seconds) on a 429. The library writes names without a suffix
 * only for a throttler called `default`, so RateLimitModule names its throttler so.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override headerPrefix = 'RateLimit';

  /** The library writes only Retry-After on a 429; the window's fields belong there too. */
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const { res } = this.getRequestResponse(context);
    this.setResponseHeader(res, 'RateLimit-Limit', detail.limit);
    this.setResponseHeader(res, 'RateLimit-Remaining', 0);
    this.setResponseHeader(res, 'RateLimit-Reset', detail.timeToBlockExpire);
    return super.throwThrottlingException(context, detail);
  }

  /** The client as the login-failure counters see it too; a dialect's guard may have named it (`countRequestAs`). */
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    return Promise.resolve(clientOf(request as unknown as Request));
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { res } = this.getRequestResponse(request.context);
    this.setResponseHeader(res, 'RateLimit-Policy', `${request.limit};w=${Math.round(request.ttl / 1000)}`);
    return super.handleRequest(request);
  }
}
