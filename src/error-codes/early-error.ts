import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

type RequestWithEarlyError = Request & { earlyError?: unknown };

/**
 * Failures found before routing (a header check, an unparseable, oversized or too deep body) are kept
 * on the request instead of answered at once, so that the request still passes the request logger,
 * which Nest mounts after these parsers; EarlyErrorGuard or the filter answers them right after.
 */
export function deferEarlyError(error: unknown, request: Request, _response: Response, next: NextFunction): void {
  (request as RequestWithEarlyError).earlyError = error;
  next();
}

export function earlyErrorOf(request: Request): unknown {
  return (request as RequestWithEarlyError).earlyError;
}

/** Global, so it runs before every other guard: a request whose body could not be read goes no further. */
@Injectable()
export class EarlyErrorGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const error = earlyErrorOf(context.switchToHttp().getRequest<Request>());
    if (error !== undefined) {
      throw error;
    }
    return true;
  }
}
