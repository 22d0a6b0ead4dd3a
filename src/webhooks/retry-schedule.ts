/**
 * The Standard Webhooks schedule: after the first failed attempt wait 5 s, then 5 min, 30 min, 2 h, 5 h, 10 h,
 * 14 h, 20 h and 24 h; a delivery whose tenth attempt fails is failed.
 */
export const RETRY_DELAYS_SECONDS: readonly number[] = [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400];
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;
/** Each wait is moved by up to this share either way, so that deliveries failed together do not all come back at once. */
export const RETRY_JITTER = 0.1;

/** Milliseconds to wait after `attempts` failed attempts, or null when none is left. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number | null {
  const delay = RETRY_DELAYS_SECONDS[attempts - 1];
  if (delay === undefined) {
    return null;
  }
  return Math.round(delay * 1000 * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random()));
}
