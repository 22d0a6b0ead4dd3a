import { DomainErrorCode } from './domain-error-code.enum';
import { ErrorCode } from './error-code';

/** One failing input field, as dialects that report per-field errors (JSON:API) need it. */
export interface FieldError {
  field: string;
  code: ErrorCode;
  /** Limits and values a message may quote, e.g. `{ min: 6, max: 50 }`. */
  params?: Record<string, string | number>;
}

export interface DomainErrorDetails {
  /** The request field the error is about, in the dialect's own spelling. */
  field?: string;
  /** Every failing field when more than one was checked at once. */
  fields?: FieldError[];
  params?: Record<string, string | number>;
  /** When the same request may succeed again; the filter sends it as `Retry-After` (every 429 has one). */
  retryAfterSeconds?: number;
  /** Extra words for operators; never shown for INTERNAL. */
  reason?: string;
}

/** A failure a client can act on; knows nothing of HTTP, each dialect renders it its own way. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: DomainErrorDetails;

  constructor(code: ErrorCode, details: DomainErrorDetails = {}) {
    // A refusal is an answer, not a fault to trace; its stack was 2% of the CPU time of the bench's loads
    // (`npm run bench -- --profile`). An INTERNAL error keeps its stack for the log.
    const stackTraceLimit = Error.stackTraceLimit;
    if (code !== DomainErrorCode.INTERNAL) {
      Error.stackTraceLimit = 0;
    }
    try {
      super(details.reason ? `${code}: ${details.reason}` : code);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.code = code;
    this.details = details;
    this.name = 'DomainError';
  }

  /** The errors per field; a single-field error counts as one. */
  get fieldErrors(): FieldError[] {
    if (this.details.fields?.length) {
      return this.details.fields;
    }
    return this.details.field ? [{ field: this.details.field, code: this.code, params: this.details.params }] : [];
  }
}
