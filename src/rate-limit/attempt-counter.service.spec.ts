import { Clock } from '../clock/clock';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { AttemptCounterService } from './attempt-counter.service';

class FakeClock extends Clock {
  at = 1_700_000_000_000;
  override now(): number {
    return this.at;
  }
}

describe('AttemptCounterService', () => {
  const policy = { limit: 3, windowSeconds: 900, lockSeconds: 900 };
  let clock: FakeClock;
  let counter: AttemptCounterService;

  beforeEach(() => {
    clock = new FakeClock();
    counter = new AttemptCounterService(clock);
  });

  it('counts down the tries left, then locks the key', async () => {
    const budget = counter.budget('alice|1.2.3.4', policy);
    await expect(budget.recordFailure()).resolves.toBe(2);
    await expect(budget.recordFailure()).resolves.toBe(1);
    await expect(budget.assertAllowed()).resolves.toBeUndefined();
    await expect(budget.recordFailure()).resolves.toBe(0);
    await expect(budget.assertAllowed()).rejects.toMatchObject({ code: DomainErrorCode.LOGIN_LOCKED, details: { params: { seconds: 900 } } });
  });

  it('keeps keys apart', async () => {
    for (let i = 0; i < 3; i++) await counter.budget('a', policy).recordFailure();
    await expect(counter.budget('b', policy).assertAllowed()).resolves.toBeUndefined();
  });

  it('unlocks when the lock expires, by the clock', async () => {
    const budget = counter.budget('k', policy);
    for (let i = 0; i < 3; i++) await budget.recordFailure();
    clock.at += 899_000;
    await expect(budget.assertAllowed()).rejects.toMatchObject({ code: DomainErrorCode.LOGIN_LOCKED });
    clock.at += 1_000;
    await expect(budget.assertAllowed()).resolves.toBeUndefined();
    await expect(budget.recordFailure()).resolves.toBe(2);
  });

  it('forgets old failures after the window', async () => {
    const budget = counter.budget('k', policy);
    await budget.recordFailure();
    await budget.recordFailure();
    clock.at += 900_000;
    await expect(budget.recordFailure()).resolves.toBe(2);
  });

  it('clears the count on success', async () => {
    const budget = counter.budget('k', policy);
    await budget.recordFailure();
    await budget.recordFailure();
    await budget.recordSuccess();
    await expect(budget.recordFailure()).resolves.toBe(2);
  });
});
