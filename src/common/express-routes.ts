import type { Express } from 'express';
import { isDecodablePath } from './path-encoding';

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
  match(path: string): unknown;
}

const NO_SUCH_PATH = '/\u0000unireg/no/such/path';

/**
 * The routes whose pattern matches `path`, read from Express's router: it keeps no public route table,
 * and its layers are the one place every route, whatever registered it, is listed. Middleware mounted
 * for every path (Nest's) sits there as a catch-all route and is left out.
 */
function routesMatching(app: Express, path: string): NonNullable<RouteLayer['route']>[] {
  // Matching decodes route parameters and throws a URIError on a path no route could serve anyway.
  if (!isDecodablePath(path)) {
    return [];
  }
  const stack = (app.router as unknown as { stack: RouteLayer[] }).stack;
  return stack.flatMap((layer) => (layer.route && layer.match(path) && !layer.match(NO_SUCH_PATH) ? [layer.route] : []));
}

/** The methods Express would serve for `path`, so that a known path asked with another method is 405 with `Allow`, not 404. */
export function allowedMethods(app: Express, path: string): string[] {
  const methods = new Set<string>();
  for (const route of routesMatching(app, path)) {
    for (const method of Object.keys(route.methods)) {
      if (method !== '_all') {
        methods.add(method.toUpperCase());
      }
    }
  }
  if (methods.has('GET')) {
    methods.add('HEAD');
  }
  return [...methods].sort();
}

/**
 * The pattern of the route that would have served `method` and `path`, for a request refused before
 * routing: Express matches no route once an error is pending, so `request.route` stays unset.
 */
export function routePatternOf(app: Express, method: string, path: string): string | undefined {
  const name = method.toLowerCase();
  return routesMatching(app, path).find(({ methods }) => methods[name] || (name === 'head' && methods.get))?.path;
}
