import type { NextFunction, Request, Response } from 'express';

/**
 * The web client sends every PATCH as a POST with `x-http-method-override: patch`, because some networks
 * refuse PATCH (Discuz-Q-Web `api/request.js`). Mounted for POST on `/api/users/:id` only, so no other
 * route can be reached under another method; Express's router reads the method afresh for every route after
 * this one, so the PATCH route serves it. A POST without the header is left as it is: 405.
 */
export function patchOverride(request: Request, _response: Response, next: NextFunction): void {
  if (request.method === 'POST' && request.get('x-http-method-override')?.trim().toLowerCase() === 'patch') {
    request.method = 'PATCH';
  }
  next();
}
