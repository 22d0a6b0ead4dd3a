import { DynamicModule, Module } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { LoggerModule } from 'nestjs-pino';
import pino, { Logger } from 'pino';
import { DialectResolver } from '../common/dialect-resolver';
import { assignRequestId } from '../common/request-id';
import { redactUrl } from '../common/redact-url';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { errorOutcomeOf } from '../error-codes/error-outcome';

/** The request logger, an Express middleware that configureApp mounts first of all. */
export const REQUEST_LOGGER = Symbol('REQUEST_LOGGER');

/** The middleware, and the pino logger it writes to, which Nest's own logger shares. */
export type RequestLogger = ((request: Request, response: Response, next: NextFunction) => void) & { logger: Logger };

/**
 * What the request came to: the dialect whose path it was, and in that dialect's terms the code the
 * error filter rendered (a failed enduser registration is HTTP 200 with 5046), or `ok`.
 */
function outcomeOf(
  dialects: DialectResolver,
  request: Request,
  response: Response,
): { dialect: string; outcome: string | number; error?: string } {
  const failed = errorOutcomeOf(response);
  const dialect = dialects.nameOf(request.path);
  return failed ? { dialect, outcome: failed.outcome, error: failed.error } : { dialect, outcome: 'ok' };
}

/**
 * One JSON line per request (method, path, status, dialect, the dialect's outcome code, latency, request
 * id); no headers or bodies, the values of every query parameter and path segment a dialect names as
 * secret redacted, email addresses masked. Written on `finish`, or on `close` for a request the client gave up on
 * (outcome `aborted`).
 *
 * Hand-written on pino rather than pino-http: pino-http builds a child logger per request and serialises
 * the request into it up front, which with its listeners cost about a quarter of a token read's CPU time
 * under load; this writes the same line with one call (docs/performance.md).
 */
function createRequestLogger(config: AppConfig, dialects: DialectResolver): RequestLogger {
  const logger = pino({ level: config.logging.level });
  const redact = (url: string) => redactUrl(dialects.redactPath(url), dialects.secretQueryParameters);
  const middleware = (request: Request, response: Response, next: NextFunction): void => {
    const id = assignRequestId(request, response);
    const started = Date.now();
    const done = () => {
      response.removeListener('close', done);
      response.removeListener('finish', done);
      const url = redact(request.originalUrl);
      const responseTime = Date.now() - started;
      const { statusCode } = response;
      // A connection the client closed before the answer was sent: its status is only the default.
      const outcome = response.writableFinished
        ? outcomeOf(dialects, request, response)
        : { dialect: dialects.nameOf(request.path), outcome: 'aborted' };
      logger.info(
        { req: { id, method: request.method, url }, res: { statusCode }, responseTime, ...outcome },
        `${request.method} ${url} ${statusCode} ${outcome.outcome} ${responseTime}ms`,
      );
    };
    response.on('close', done);
    response.on('finish', done);
    next();
  };
  return Object.assign(middleware, { logger });
}

/**
 * The request log, and Nest's own logger (nestjs-pino) writing through the same pino instance. The request
 * logger is mounted by configureApp rather than as Nest middleware: Nest's middleware runs after the header
 * checks and body parsers, whose failures go straight to the error filter and would then never be logged.
 * nestjs-pino binds no logger to each request (`forRoutes: []`): that binding is an AsyncLocalStorage,
 * which on Node 20 hooks every promise of the process and cost 8% of a token read; the error filter's lines
 * name their request id themselves instead.
 */
@Module({})
export class LoggingModule {
  static forRoot(): DynamicModule {
    return {
      module: LoggingModule,
      global: true,
      imports: [
        LoggerModule.forRootAsync({
          inject: [REQUEST_LOGGER],
          useFactory: (requestLogger: RequestLogger) => ({ pinoHttp: { logger: requestLogger.logger }, useExisting: true, forRoutes: [] }),
        }),
      ],
      providers: [{ provide: REQUEST_LOGGER, inject: [APP_CONFIG, DialectResolver], useFactory: createRequestLogger }],
      exports: [REQUEST_LOGGER],
    };
  }
}
