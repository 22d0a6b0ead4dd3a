import { HttpException, HttpStatus } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { isDatabaseUnavailable } from '../database/database-errors';
import { DomainErrorCode } from './domain-error-code.enum';
import { DomainError } from './domain-error';

const BODY_PARSER_ERRORS: Record<string, DomainErrorCode> = {
  'entity.parse.failed': DomainErrorCode.MALFORMED_REQUEST,
  'entity.too.large': DomainErrorCode.PAYLOAD_TOO_LARGE,
  'entity.verify.failed': DomainErrorCode.MALFORMED_REQUEST,
  'charset.unsupported': DomainErrorCode.MALFORMED_REQUEST,
  'request.aborted': DomainErrorCode.MALFORMED_REQUEST,
  'request.size.invalid': DomainErrorCode.MALFORMED_REQUEST,
  'stream.encoding.set': DomainErrorCode.INTERNAL,
  'stream.not.readable': DomainErrorCode.INTERNAL,
  'parameters.too.many': DomainErrorCode.MALFORMED_REQUEST,
};

const HTTP_STATUSES: Partial<Record<number, DomainErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: DomainErrorCode.MALFORMED_REQUEST,
  [HttpStatus.UNAUTHORIZED]: DomainErrorCode.UNAUTHORIZED,
  [HttpStatus.NOT_FOUND]: DomainErrorCode.ROUTE_NOT_FOUND,
  [HttpStatus.METHOD_NOT_ALLOWED]: DomainErrorCode.METHOD_NOT_ALLOWED,
  [HttpStatus.PAYLOAD_TOO_LARGE]: DomainErrorCode.PAYLOAD_TOO_LARGE,
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: DomainErrorCode.MALFORMED_REQUEST,
  [HttpStatus.TOO_MANY_REQUESTS]: DomainErrorCode.RATE_LIMITED,
};

/** Enough for any real content coding; more would only let a client write into the answer. */
const MAX_QUOTED_LENGTH = 32;

/** Client text fit to quote in an answer: no control, invisible or unpaired characters, and short. */
function quotable(value: unknown): string {
  const characters = [...(typeof value === 'string' ? value : '').replace(/\p{C}/gu, '')];
  return characters.length > MAX_QUOTED_LENGTH ? `${characters.slice(0, MAX_QUOTED_LENGTH).join('')}…` : characters.join('');
}

/** Folds anything thrown while serving a request into the domain vocabulary the dialects render. */
export function toDomainError(exception: unknown): DomainError {
  if (exception instanceof DomainError) {
    return exception;
  }
  if (exception instanceof ThrottlerException) {
    return new DomainError(DomainErrorCode.RATE_LIMITED);
  }
  if (exception instanceof HttpException) {
    const code = HTTP_STATUSES[exception.getStatus()];
    return new DomainError(code ?? DomainErrorCode.INTERNAL, { reason: exception.message });
  }
  const { type, status, encoding } = (exception ?? {}) as { type?: unknown; status?: unknown; encoding?: unknown };
  if (type === 'encoding.unsupported') {
    const shown = quotable(encoding);
    return new DomainError(DomainErrorCode.CONTENT_ENCODING_UNSUPPORTED, {
      reason: `unsupported content encoding "${shown}"`,
      params: { encoding: shown },
    });
  }
  if (typeof type === 'string' && type in BODY_PARSER_ERRORS) {
    return new DomainError(BODY_PARSER_ERRORS[type], { reason: (exception as Error).message });
  }
  // body-parser passes some failures on untyped, e.g. a corrupt gzip body, but always with a 4xx status.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new DomainError(HTTP_STATUSES[status] ?? DomainErrorCode.MALFORMED_REQUEST, { reason: (exception as Error).message });
  }
  if (isDatabaseUnavailable(exception)) {
    return new DomainError(DomainErrorCode.DATABASE_UNAVAILABLE, { reason: (exception as Error).message });
  }
  return new DomainError(DomainErrorCode.INTERNAL);
}
