import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';

/** No dialect's request nests deeper than a few levels; 32 leaves room without letting recursion run away. */
export const MAX_BODY_DEPTH = 32;
/** Keys and array elements in one body, all levels together. */
export const MAX_BODY_NODES = 10_000;

/** Keys that name JavaScript's object machinery: never a field of any dialect, always refused. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Checks a parsed body before any validation walks it: the validation pipe recurses, so a body nested
 * thousands of levels deep would overflow the stack. Iterative on purpose, for the same reason.
 */
export function checkBodyShape(body: unknown): DomainError | undefined {
  const pending: { value: unknown; depth: number; path: string }[] = [{ value: body, depth: 0, path: '' }];
  let nodes = 0;
  while (pending.length > 0) {
    const { value, depth, path } = pending.pop()!;
    if (value === null || typeof value !== 'object') {
      continue;
    }
    if (depth >= MAX_BODY_DEPTH) {
      return new DomainError(DomainErrorCode.MALFORMED_REQUEST, { reason: `the body nests deeper than ${MAX_BODY_DEPTH} levels` });
    }
    for (const key of Object.keys(value)) {
      const field = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) {
        return new DomainError(DomainErrorCode.UNKNOWN_FIELD, { field });
      }
      if (++nodes > MAX_BODY_NODES) {
        return new DomainError(DomainErrorCode.MALFORMED_REQUEST, { reason: `the body has more than ${MAX_BODY_NODES} fields` });
      }
      pending.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, path: field });
    }
  }
  return undefined;
}
