import { MAX_ATTEMPTS, retryDelayMs } from './retry-schedule';

describe('retryDelayMs', () => {
  it.each([
    [1, 5],
    [2, 300],
    [3, 1800],
    [4, 7200],
    [5, 18_000],
    [6, 36_000],
    [7, 50_400],
    [8, 72_000],
    [9, 86_400],
  ])('waits %i failed attempts out for %i s, give or take 10%%', (attempts, seconds) => {
    expect(retryDelayMs(attempts, () => 0.5)).toBe(seconds * 1000);
    expect(retryDelayMs(attempts, () => 0)).toBe(seconds * 900);
    expect(retryDelayMs(attempts, () => 1)).toBe(seconds * 1100);
  });

  it('gives up after the tenth attempt', () => {
    expect(MAX_ATTEMPTS).toBe(10);
    expect(retryDelayMs(10)).toBeNull();
  });
});
