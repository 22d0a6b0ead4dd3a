import type { ServerResponse } from 'node:http';
import type { ErrorCode } from './error-code';

/** How the filter answered a failed request, in the dialect's terms: for the request log and the metrics. */
export interface ErrorOutcome {
  /** The dialect's own code (2026, 5046, `invalid_parameter`); some dialects answer business errors in HTTP 200. */
  outcome: string | number;
  /** The domain code the failure came to. */
  error: ErrorCode;
}

// Keyed by the response, which the log and the metrics both hold when it finishes; nothing else shares it.
const outcomes = new WeakMap<ServerResponse, ErrorOutcome>();

/** Called by the error filter once per answered failure. */
export function recordErrorOutcome(response: ServerResponse, outcome: ErrorOutcome): void {
  outcomes.set(response, outcome);
}

/** What the filter recorded for `response`; none for a request that succeeded. */
export function errorOutcomeOf(response: ServerResponse): ErrorOutcome | undefined {
  return outcomes.get(response);
}
