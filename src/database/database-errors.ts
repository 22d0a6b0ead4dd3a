const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_ACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_READONLY',
]);

/** better-sqlite3 reports a closed handle only in words. */
const UNAVAILABLE_MESSAGES = new Set(['The database connection is not open']);

const UNAVAILABLE_NAMES = new Set(['ConnectionIsNotSetError', 'CannotExecuteNotConnectedError', 'ConnectionNotFoundError']);

/** Errors that mean "the database is not reachable now" rather than "this request is wrong". */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const candidate of causes(error)) {
    const { code, name, fatal, message } = candidate as { code?: unknown; name?: unknown; fatal?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('SQLITE_IOERR'))) {
      return true;
    }
    if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) {
      return true;
    }
    if (fatal === true || (typeof message === 'string' && UNAVAILABLE_MESSAGES.has(message))) {
      return true;
    }
  }
  return false;
}

/** Codes of a transaction the database aborted to break a conflict: running it again may succeed. */
const RETRYABLE_CODES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

export function isRetryableConflict(error: unknown): boolean {
  for (const candidate of causes(error)) {
    const { code } = candidate as { code?: unknown };
    if (typeof code === 'string' && RETRYABLE_CODES.has(code)) {
      return true;
    }
  }
  return false;
}

/** The raw driver message of a unique-index violation, or undefined for any other error. */
export function uniqueViolationMessage(error: unknown): string | undefined {
  for (const candidate of causes(error)) {
    const { code, message } = candidate as { code?: unknown; message?: unknown };
    if ((code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE') && typeof message === 'string') {
      return message;
    }
  }
  return undefined;
}

function* causes(error: unknown): Generator<object> {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    yield current;
    const next = current as { driverError?: unknown; cause?: unknown };
    current = next.driverError ?? next.cause;
  }
}
