import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { redactUrl } from '../common/redact-url';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * What the request came to in the dialect's own terms: the vendor code the error filter rendered (a
 * failed enduser registration is HTTP 200 with 5046), or `ok`.
 */
function outcomeOf(response: ServerResponse): { outcome: string | number; error?: string } {
  const locals = (response as ServerResponse & { locals?: { outcome?: string | number; domainError?: string } }).locals;
  const outcome = locals?.outcome ?? 'ok';
  return locals?.domainError ? { outcome, error: locals.domainError } : { outcome };
}

/**
 * One JSON line per request (method, path, status, the dialect's outcome code, latency, request id); no
 * headers or bodies, the values of the query parameters the dialects name as secret redacted, email
 * addresses masked.
 */
@Module({})
export class LoggingModule {
  static forRoot(secretQueryParameters: readonly string[]): DynamicModule {
    const secrets = new Set(secretQueryParameters.map((name) => name.toLowerCase()));
    const redact = (url: string) => redactUrl(url, secrets);
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            pinoHttp: {
              level: config.logging.level,
              genReqId: (request: IncomingMessage, response: ServerResponse) => {
                const given = request.headers['x-request-id'];
                const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
                response.setHeader('x-request-id', id);
                return id;
              },
              serializers: {
                req: (request: { id: string; method: string; url: string }) => ({
                  id: request.id,
                  method: request.method,
                  url: redact(request.url),
                }),
                res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
              },
              // The outcome is added to the one line itself: through customProps, pino-http would build a
              // child logger at the start and again at the end of every request, a cost the profile showed.
              customSuccessObject: (_request: IncomingMessage, response: ServerResponse, line: object) => ({ ...line, ...outcomeOf(response) }),
              customErrorObject: (_request: IncomingMessage, response: ServerResponse, _error: Error, line: object) => ({
                ...line,
                ...outcomeOf(response),
              }),
              customSuccessMessage: (request: IncomingMessage, response: ServerResponse, latency: number) =>
                `${request.method} ${redact(request.url ?? '')} ${response.statusCode} ${outcomeOf(response).outcome} ${latency}ms`,
              customErrorMessage: (request: IncomingMessage, response: ServerResponse) =>
                `${request.method} ${redact(request.url ?? '')} ${response.statusCode} ${outcomeOf(response).outcome}`,
            },
          }),
        }),
      ],
    };
  }
}
