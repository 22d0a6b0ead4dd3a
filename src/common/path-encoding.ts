import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';

/** `params.part` of a MALFORMED_REQUEST about the path rather than the body, so a dialect's message can say so. */
export const MALFORMED_PART_PATH = 'path';

/** Whether a MALFORMED_REQUEST is about the request's path (its message must not talk about a body). */
export const isMalformedPath = (error: DomainError): boolean => error.details.params?.part === MALFORMED_PART_PATH;

/** Whether Express can percent-decode `path`: its router throws a URIError for a route parameter it cannot decode. */
export function isDecodablePath(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checked before any route is matched: the router would throw while matching, and so would the route
 * look-up of the request metrics, whose throw on a finished response nothing catches.
 */
export function checkPathEncoding(path: string): DomainError | undefined {
  return isDecodablePath(path)
    ? undefined
    : new DomainError(DomainErrorCode.MALFORMED_REQUEST, {
        reason: 'the path is not valid percent-encoded UTF-8',
        params: { part: MALFORMED_PART_PATH },
      });
}
