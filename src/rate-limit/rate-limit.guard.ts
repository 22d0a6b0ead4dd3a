import { Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerRequest } from '@nestjs/throttler';

/**
 * @nestjs/throttler's guard, answering with the IETF header names (draft-ietf-httpapi-ratelimit-headers):
 * `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (seconds) and `RateLimit-Policy` on every
 * guarded response, and `Retry-After` (seconds) on a 429. The library writes names without a suffix
 * only for a throttler called `default`, so RateLimitModule names its throttler so.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override headerPrefix = 'RateLimit';

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { res } = this.getRequestResponse(request.context);
    this.setResponseHeader(res, 'RateLimit-Policy', `${request.limit};w=${Math.round(request.ttl / 1000)}`);
    return super.handleRequest(request);
  }
}
