import { ArgumentsHost, Catch, ExceptionFilter, Inject, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { maskEmailsIn } from '../common/redact-url';
import { allowedMethods } from './allowed-methods';
import { earlyErrorOf } from './early-error';
import { DomainErrorCode } from './domain-error-code.enum';
import { DomainError } from './domain-error';
import { DialectErrorRenderer, RenderedError } from './dialect-error-renderer';
import { toDomainError } from './to-domain-error';

/** A dialect's error renderer and the paths it owns. */
export interface DialectRoutes {
  name: string;
  pathPrefixes: readonly string[];
  errors: DialectErrorRenderer;
  /** Checks on the headers alone that the dialect answers before the body is even read. */
  checkHeaders?: (request: Request) => DomainError | undefined;
}

export const DIALECT_ROUTES = Symbol('DIALECT_ROUTES');

const GENERIC_STATUS: Partial<Record<DomainErrorCode, number>> = {
  [DomainErrorCode.MALFORMED_REQUEST]: 400,
  [DomainErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [DomainErrorCode.UNAUTHORIZED]: 401,
  [DomainErrorCode.ROUTE_NOT_FOUND]: 404,
  [DomainErrorCode.METHOD_NOT_ALLOWED]: 405,
  [DomainErrorCode.RATE_LIMITED]: 429,
  [DomainErrorCode.DATABASE_UNAVAILABLE]: 503,
};

/** Failures the client cannot fix and an operator should see in the log. */
const OPERATOR_CONCERNS = new Set([DomainErrorCode.DATABASE_UNAVAILABLE, DomainErrorCode.MAIL_DELIVERY_FAILED]);

/** For paths no dialect owns (health, docs): a plain JSON error. */
const genericErrors: DialectErrorRenderer = {
  render(error: DomainError): RenderedError {
    const status = GENERIC_STATUS[error.code] ?? (error.code === DomainErrorCode.INTERNAL ? 500 : 400);
    return { status, outcome: error.code, body: { statusCode: status, error: error.code } };
  },
};

/**
 * The single exit for every failure, routed or not (bad JSON, oversized bodies and unknown routes never
 * reach a controller): it picks the dialect by path prefix and lets that dialect's map render the error.
 */
@Catch()
export class DialectExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');
  private readonly routes: { prefix: string; dialect: DialectRoutes }[];

  constructor(
    @Inject(DIALECT_ROUTES) dialects: readonly DialectRoutes[],
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.routes = dialects
      .flatMap((dialect) => dialect.pathPrefixes.map((prefix) => ({ prefix, dialect })))
      .sort((a, b) => b.prefix.length - a.prefix.length);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.respond(exception, http.getRequest<Request>(), http.getResponse<Response>());
  }

  private respond(exception: unknown, request: Request, response: Response): void {
    const error = this.methodNotAllowed(toDomainError(earlyErrorOf(request) ?? exception), request, response);
    if (error.code === DomainErrorCode.INTERNAL) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    } else if (OPERATOR_CONCERNS.has(error.code)) {
      this.logger.warn(`${error.code}: ${maskEmailsIn(error.details.reason ?? '')}`);
    }
    if (response.headersSent) {
      return;
    }
    const { status, body, headers, outcome } = this.renderer(request.path).render(error, request);
    // Read by the request logger: business errors of some dialects travel in HTTP 200.
    response.locals.outcome = outcome;
    response.locals.domainError = error.code;
    response.status(status).set(headers ?? {}).json(body);
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

  /** The name of the dialect that owns `path`, for metrics; `none` for health, docs and the like. */
  dialectName(path: string): string {
    return this.dialect(path)?.name ?? 'none';
  }

  /** The header checks of the dialect whose path was hit; mounted by configureApp before the body parsers. */
  checkHeaders(request: Request): DomainError | undefined {
    return this.dialect(request.path)?.checkHeaders?.(request);
  }

  private renderer(path: string): DialectErrorRenderer {
    return this.dialect(path)?.errors ?? genericErrors;
  }

  private dialect(path: string): DialectRoutes | undefined {
    return this.routes.find((route) => path.startsWith(route.prefix))?.dialect;
  }
}
