import type { NextFunction, Request, Response } from 'express';
import { MetricsService, registrationOutcome } from './metrics.service';

/**
 * Counts every answer by dialect, route pattern and status, and the answers of registration routes by
 * outcome. Mounted first, so that it also sees requests refused before routing. A path no route
 * matches is `unmatched`: labels never carry a path a client made up.
 */
export function requestMetrics(
  metrics: MetricsService,
  dialectOf: (path: string) => string,
  registrationRoutes: ReadonlyMap<string, string>,
): (request: Request, response: Response, next: NextFunction) => void {
  return (request, response, next) => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const pattern: unknown = request.route?.path;
      // Middleware mounted for every path shows up as a catch-all route.
      const route = typeof pattern === 'string' && !pattern.includes('*') ? pattern : 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.requestAnswered({ dialect: dialectOf(request.path), route, status: response.statusCode }, seconds);
      const registering = registrationRoutes.get(route);
      if (registering !== undefined) {
        metrics.registrationAnswered(registering, registrationOutcome(response.locals.domainError as string | undefined));
      }
    });
    next();
  };
}
