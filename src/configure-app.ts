import { ExpressAdapter, NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import express, { json, NextFunction, Request, Response, urlencoded } from 'express';
import { BODY_LIMIT_BYTES } from './common/body-limit';
import { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.module';
import { checkBodyShape } from './common/body-shape';
import { DIALECTS } from './dialects';
import { deferEarlyError } from './error-codes/early-error';
import { DialectExceptionFilter } from './error-codes/dialect-exception.filter';
import { DomainValidationPipe } from './error-codes/domain-validation.pipe';
import { MetricsService } from './metrics/metrics.service';
import { requestMetrics } from './metrics/request-metrics.middleware';
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

/** Everything main.ts and the e2e tests must set up alike; the app must be created with `bodyParser: false`. */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  app.disable('x-powered-by');
  const filter = app.get(DialectExceptionFilter);
  const registrationRoutes = new Map(DIALECTS.flatMap((dialect) => dialect.registrationRoutes.map((route) => [route, dialect.name] as const)));
  app.use(requestMetrics(app.get(MetricsService), (path) => filter.dialectName(path), registrationRoutes));

  const { corsOrigins, trustProxy } = app.get<AppConfig>(APP_CONFIG).server;
  app.set('trust proxy', trustProxy);
  if (corsOrigins.length > 0) {
    app.enableCors({
      origin: [...corsOrigins],
      // What a browser client must be able to read of an answer besides its body.
      exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy'],
      maxAge: 600,
    });
  }
  app.enableShutdownHooks();

  // Parsers are mounted here, not by Nest, so that their failures (bad JSON, oversized body) go through
  // the same dialect-aware filter as everything else; deferEarlyError keeps them for it.
  app.use((request: Request, _response: Response, next: NextFunction) => next(filter.checkHeaders(request)));
  app.use(json({ limit: BODY_LIMIT_BYTES, type: ['application/json', 'application/*+json'] }));
  app.use(urlencoded({ limit: BODY_LIMIT_BYTES, extended: false, parameterLimit: 200 }));
  app.use((request: Request, _response: Response, next: NextFunction) => next(checkBodyShape(request.body)));
  app.use(deferEarlyError);
  app.useGlobalPipes(new DomainValidationPipe());

  SwaggerModule.setup('docs', app, createOpenApiDocument(app, DIALECTS), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
