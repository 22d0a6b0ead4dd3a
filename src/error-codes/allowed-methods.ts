import type { Express } from 'express';

interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): unknown;
}

const NO_SUCH_PATH = '/\u0000unireg/no/such/path';

/**
 * The methods Express would serve for `path`, read from its router, so that a known path asked with
 * another method can be told 405 (with `Allow`) instead of 404. Express keeps no public route table;
 * its router's layers are the one place every route, whatever registered it, is listed.
 */
export function allowedMethods(app: Express, path: string): string[] {
  const stack = (app.router as unknown as { stack: RouteLayer[] }).stack;
  const methods = new Set<string>();
  for (const layer of stack) {
    // Middleware mounted for every path (request logging) sits in the router as a catch-all route.
    if (layer.route && layer.match(path) && !layer.match(NO_SUCH_PATH)) {
      for (const method of Object.keys(layer.route.methods)) {
        if (method !== '_all') {
          methods.add(method.toUpperCase());
        }
      }
    }
  }
  if (methods.has('GET')) {
    methods.add('HEAD');
  }
  return [...methods].sort();
}
