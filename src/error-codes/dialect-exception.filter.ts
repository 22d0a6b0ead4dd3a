import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DialectResolver } from '../common/dialect-resolver';
import { allowedMethods } from '../common/express-routes';
import { maskEmailsIn } from '../common/redact-url';
import { requestIdOf } from '../common/request-id';
import { DomainErrorCode } from './domain-error-code.enum';
import { DomainError } from './domain-error';
import { DialectErrorRenderer, RenderedError } from './dialect-error-renderer';
import { recordErrorOutcome } from './error-outcome';
import { ErrorCode, isDomainErrorCode } from './error-code';
import { toDomainError } from './to-domain-error';

const GENERIC_STATUS: Partial<Record<DomainErrorCode, number>> = {
  [DomainErrorCode.MALFORMED_REQUEST]: 400,
  [DomainErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [DomainErrorCode.CONTENT_ENCODING_UNSUPPORTED]: 415,
  [DomainErrorCode.UNAUTHORIZED]: 401,
  [DomainErrorCode.ROUTE_NOT_FOUND]: 404,
  [DomainErrorCode.METHOD_NOT_ALLOWED]: 405,
  [DomainErrorCode.RATE_LIMITED]: 429,
  [DomainErrorCode.DATABASE_UNAVAILABLE]: 503,
};

/** A 429 whose error names no wait, e.g. one raised by the framework: the per-minute window. */
const DEFAULT_RETRY_AFTER_SECONDS = 60;

/** Failures the client cannot fix and an operator should see in the log. */
const OPERATOR_CONCERNS = new Set<ErrorCode>([DomainErrorCode.DATABASE_UNAVAILABLE, DomainErrorCode.MAIL_DELIVERY_FAILED]);

/** For paths no dialect owns (health, docs): a plain JSON error; a dialect's own code cannot arise there. */
const genericErrors: DialectErrorRenderer = {
  render(error: DomainError): RenderedError {
    const code = isDomainErrorCode(error.code) ? error.code : DomainErrorCode.INTERNAL;
    const status = GENERIC_STATUS[code] ?? (code === DomainErrorCode.INTERNAL ? 500 : 400);
    return { status, outcome: code, body: { statusCode: status, error: code } };
  },
};

/**
 * The single exit for every failure, routed or not (bad JSON, oversized bodies and unknown routes never
 * reach a controller): it picks the dialect by path prefix and lets that dialect's map render the error.
 */
@Catch()
export class DialectExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(
    private readonly dialects: DialectResolver,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.answer(exception, http.getRequest<Request>(), http.getResponse<Response>());
  }

  /** Also Express's error handler for failures before routing (headers, parsers), which never reach Nest. */
  answer(exception: unknown, request: Request, response: Response): void {
    const error = this.methodNotAllowed(toDomainError(exception), request, response);
    // The request log's id, so that the operator finds the request this line is about.
    const req = { id: requestIdOf(response) };
    if (error.code === DomainErrorCode.INTERNAL) {
      this.logger.error({ req, msg: exception instanceof Error ? (exception.stack ?? exception.message) : String(exception) });
    } else if (OPERATOR_CONCERNS.has(error.code)) {
      this.logger.warn({ req, msg: `${error.code}: ${maskEmailsIn(error.details.reason ?? '')}` });
    }
    if (response.headersSent) {
      return;
    }
    const { status, body, headers, outcome } = (this.dialects.dialectOf(request.path)?.errors ?? genericErrors).render(error, request);
    recordErrorOutcome(response, { outcome, error: error.code });
    response.status(status).set(headers ?? {});
    this.setRetryAfter(error, status, response);
    response.json(body);
  }

  /**
   * Here rather than in each map, so that no dialect's 429 (or lockout in another status) can lack it;
   * not on a refusal a dialect answers with 200 and a code of its own.
   */
  private setRetryAfter(error: DomainError, status: number, response: Response): void {
    if (status < 400) {
      return;
    }
    const seconds = error.details.retryAfterSeconds ?? (status === 429 ? DEFAULT_RETRY_AFTER_SECONDS : undefined);
    if (seconds !== undefined && !response.get('Retry-After')) {
      response.set('Retry-After', String(Math.max(1, Math.ceil(seconds))));
    }
  }

  /** A path that exists under other methods is 405 with `Allow`, not 404. */
  private methodNotAllowed(error: DomainError, request: Request, response: Response): DomainError {
    if (error.code !== DomainErrorCode.ROUTE_NOT_FOUND) {
      return error;
    }
    const allowed = allowedMethods(this.adapterHost.httpAdapter.getInstance(), request.path);
    if (allowed.length === 0) {
      return error;
    }
    response.set('Allow', allowed.join(', '));
    return new DomainError(DomainErrorCode.METHOD_NOT_ALLOWED, { reason: `${request.method} ${request.path}` });
  }
}
