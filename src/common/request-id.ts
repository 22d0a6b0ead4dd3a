import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives the request its id, the client's `x-request-id` when it is a sane one and else a new UUID, and echoes
 * it in the answer, where the request log and the error filter's lines read it back.
 */
export function assignRequestId(request: Request, response: Response): string {
  const given = request.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  response.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** The id `assignRequestId` gave the request this answers; undefined before it ran. */
export function requestIdOf(response: Response): string | undefined {
  const id = response.getHeader(REQUEST_ID_HEADER);
  return typeof id === 'string' ? id : undefined;
}
