import type { Request } from 'express';
import { DomainErrorCode } from './domain-error-code.enum';
import { DomainError } from './domain-error';
import { ErrorCode } from './error-code';

/** What a dialect answers for a `DomainError`: the status, the body in its own envelope, extra headers. */
export interface RenderedError {
  status: number;
  body: unknown;
  /** The dialect's own code for this outcome (2026, 5046, `invalid_parameter`), for the request log. */
  outcome: string | number;
  headers?: Record<string, string>;
}

/** Turns domain errors into one dialect's envelope; the only place a dialect's error shape is built. */
export interface DialectErrorRenderer {
  render(error: DomainError, request: Request): RenderedError;
}

/**
 * A dialect's whole error vocabulary, checked exhaustive by the compiler: one entry per core code, plus its
 * own rows (the object its own codes come from, see `dialectErrorCodes`).
 */
export type ErrorMap<Entry, OwnRows extends object = Record<never, never>> = Readonly<Record<DomainErrorCode | keyof OwnRows, Entry>>;

/** The entry for `code`; another dialect's code cannot reach this map, and would be rendered as INTERNAL. */
export function errorEntry<Entry>(map: Readonly<Record<string, Entry>>, code: ErrorCode): Entry {
  return Object.hasOwn(map, code) ? map[code] : map[DomainErrorCode.INTERNAL];
}

export type Language = 'en' | 'zh';

/** The client's first language preference when it is one unireg speaks, else the dialect's default. */
export function preferredLanguage(request: Request, fallback: Language): Language {
  const first = /^\s*([a-z]{2})\b/i.exec(request.headers['accept-language'] ?? '')?.[1]?.toLowerCase();
  return first === 'zh' || first === 'en' ? first : fallback;
}
