import { randomUUID } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import type { Request, Response } from 'express';
import { LoggerModule } from 'nestjs-pino';
import { HttpLogger, pinoHttp } from 'pino-http';
import { DialectResolver } from '../common/dialect-resolver';
import { redactUrl } from '../common/redact-url';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { errorOutcomeOf } from '../error-codes/error-outcome';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The request logger (pino-http), an Express middleware that configureApp mounts first of all. */
export const REQUEST_LOGGER = Symbol('REQUEST_LOGGER');

export type RequestLogger = HttpLogger<Request, Response>;

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
 * secret redacted, email addresses masked.
 */
function createRequestLogger(config: AppConfig, dialects: DialectResolver): RequestLogger {
  const redact = (url: string) => redactUrl(dialects.redactPath(url), dialects.secretQueryParameters);
  return pinoHttp<Request, Response>({
    level: config.logging.level,
    genReqId: (request, response) => {
      const given = request.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      response.setHeader('x-request-id', id);
      return id;
    },
    serializers: {
      req: (request: { id: string; method: string; url: string }) => ({ id: request.id, method: request.method, url: redact(request.url) }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
    // The outcome is added to the one line itself: through customProps, pino-http would build a child
    // logger at the start and again at the end of every request, a cost the profile showed.
    customSuccessObject: (request, response, line: object) => ({ ...line, ...outcomeOf(dialects, request, response) }),
    customErrorObject: (request, response, _error, line: object) => ({ ...line, ...outcomeOf(dialects, request, response) }),
    customSuccessMessage: (request, response, latency) =>
      `${request.method} ${redact(request.originalUrl)} ${response.statusCode} ${errorOutcomeOf(response)?.outcome ?? 'ok'} ${latency}ms`,
    customErrorMessage: (request, response) =>
      `${request.method} ${redact(request.originalUrl)} ${response.statusCode} ${errorOutcomeOf(response)?.outcome ?? 'ok'}`,
  });
}

/**
 * The request log, and Nest's own logger (nestjs-pino) writing through the same pino instance, so that
 * log lines from inside a request carry its id. The request logger is mounted by configureApp rather
 * than as Nest middleware: Nest's middleware runs after the header checks and body parsers, whose
 * failures go straight to the error filter and would then never be logged.
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
          useFactory: (requestLogger: RequestLogger) => ({ pinoHttp: { logger: requestLogger.logger }, useExisting: true }),
        }),
      ],
      providers: [{ provide: REQUEST_LOGGER, inject: [APP_CONFIG, DialectResolver], useFactory: createRequestLogger }],
      exports: [REQUEST_LOGGER],
    };
  }
}
