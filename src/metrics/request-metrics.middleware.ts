import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express, NextFunction, Request, Response } from 'express';
import { DialectResolver } from '../common/dialect-resolver';
import { routePatternOf } from '../common/express-routes';
import { errorOutcomeOf } from '../error-codes/error-outcome';
import { MetricsService, registrationOutcome } from './metrics.service';
import { RegistrationRoutes } from './registration-routes';

/**
 * Counts every answer by dialect, route pattern and status, and the answers of registration routes by
 * outcome. Mounted by configureApp before the header checks and parsers, so that it also sees requests
 * refused before routing, which are counted under the route they were meant for. A path no route
 * matches is `unmatched`: labels never carry a path a client made up.
 */
@Injectable()
export class RequestMetrics {
  constructor(
    private readonly metrics: MetricsService,
    private readonly dialects: DialectResolver,
    private readonly registrationRoutes: RegistrationRoutes,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const route = this.routeOf(request) ?? 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const dialect = this.dialects.nameOf(request.path);
      this.metrics.requestAnswered({ dialect, route, status: response.statusCode }, seconds);
      if (this.registrationRoutes.has(request.method, route)) {
        this.metrics.registrationAnswered(dialect, registrationOutcome(errorOutcomeOf(response)?.error));
      }
    });
    next();
  };

  private routeOf(request: Request): string | undefined {
    const pattern = (request.route as { path?: unknown } | undefined)?.path;
    // Nest's middleware for every path is a catch-all route, which request.route keeps when no other matched.
    if (typeof pattern === 'string' && !pattern.includes('*')) {
      return pattern;
    }
    return routePatternOf(this.adapterHost.httpAdapter.getInstance<Express>(), request.method, request.path);
  }
}
