import { ExpressAdapter, NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import express, { json, NextFunction, Request, Response, urlencoded } from 'express';
import { BODY_LIMIT_BYTES } from './common/body-limit';
import { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.module';
import { checkBodyShape } from './common/body-shape';
import { checkPathEncoding } from './common/path-encoding';
import { DIALECT_ROUTES, DialectResolver, DialectRoutes } from './common/dialect-resolver';
import { DialectExceptionFilter } from './error-codes/dialect-exception.filter';
import { DomainValidationPipe } from './error-codes/domain-validation.pipe';
import { REQUEST_LOGGER, RequestLogger } from './logging/logging.module';
import { RequestMetrics } from './metrics/request-metrics.middleware';
import { createOpenApiDocument } from './openapi/openapi-document';

/**
 * The Express instance every app is built on. The vendors' paths are case-sensitive, and so is the
 * choice of envelope, which goes by path prefix. Express reads the setting once, when its router is
 * created, which happens inside NestFactory: hence an instance made and set up here, before Nest.
 */
export function createHttpAdapter(): ExpressAdapter {
  const server = express();
  server.set('case sensitive routing', true);
  return new ExpressAdapter(server);
}

/**
 * Everything main.ts and the e2e tests must set up alike; the app must be created with `bodyParser: false`.
 * The request logger and the metrics come first, so that they see every request; a header, parser or
 * body-shape failure then skips the routes and goes straight to the error filter, mounted right after the
 * parsers as Express's error handler. Nest adds its middleware and routes after all of these.
 */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  app.disable('x-powered-by');
  const filter = app.get(DialectExceptionFilter);
  const dialects = app.get(DialectResolver);
  app.use(app.get<RequestLogger>(REQUEST_LOGGER));
  app.use(app.get(RequestMetrics).middleware);

  const { corsOrigins, trustProxy } = app.get<AppConfig>(APP_CONFIG).server;
  app.set('trust proxy', trustProxy);
  if (corsOrigins.length > 0) {
    app.enableCors({
      origin: [...corsOrigins],
      // What a browser client must be able to read of an answer besides its body; the Discuz! Q web client
      // takes the server's time from `Date` (its api/request.js).
      exposedHeaders: [
        'Date',
        'X-Request-Id',
        'Retry-After',
        'RateLimit-Limit',
        'RateLimit-Remaining',
        'RateLimit-Reset',
        'RateLimit-Policy',
      ],
      maxAge: 600,
    });
  }
  app.enableShutdownHooks();

  // Parsers are mounted here, not by Nest, so that their failures (bad JSON, oversized body) reach the
  // same dialect-aware filter as everything else.
  app.use((request: Request, _response: Response, next: NextFunction) => next(checkPathEncoding(request.path)));
  app.use((request: Request, _response: Response, next: NextFunction) => next(dialects.dialectOf(request.path)?.checkHeaders?.(request)));
  app.use(json({ limit: BODY_LIMIT_BYTES, type: ['application/json', 'application/*+json'] }));
  app.use(urlencoded({ limit: BODY_LIMIT_BYTES, extended: false, parameterLimit: 200 }));
  app.use((request: Request, _response: Response, next: NextFunction) => next(checkBodyShape(request.body)));
  // Four parameters make it an error handler to Express; a response already begun is Express's to end.
  app.use((error: unknown, request: Request, response: Response, next: NextFunction) =>
    response.headersSent ? next(error) : filter.answer(error, request, response),
  );
  app.useGlobalPipes(new DomainValidationPipe());

  // Built when /docs is first asked for, not at start: no other request needs it (docs/performance.md, memory).
  const dialectRoutes = app.get<readonly DialectRoutes[]>(DIALECT_ROUTES);
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app, dialectRoutes), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
