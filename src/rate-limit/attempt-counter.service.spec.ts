import { FakeClock } from '../../test/utils/fake-clock';
import { AppConfig } from '../config/app-config';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { ACCOUNT_LOGIN_POLICY, AttemptCounterService } from './attempt-counter.service';

describe('AttemptCounterService', () => {
  const policy = { limit: 3, windowSeconds: 900, lockSeconds: 900 };
  const locked = { code: DomainErrorCode.LOGIN_LOCKED };
  let clock: FakeClock;
  let counter: AttemptCounterService;

  beforeEach(() => {
    clock = new FakeClock();
    counter = new AttemptCounterService(clock, { rateLimit: { loginFailuresPer15Min: 3 } } as AppConfig, null);
  });

  const fail = async (key: string) => {
    const budget = counter.budget(key, policy);
    await budget.reserve();
    return budget.recordFailure();
  };

  it('counts down the tries left, then locks the key', async () => {
    await expect(fail('alice|1.2.3.4')).resolves.toBe(2);
    await expect(fail('alice|1.2.3.4')).resolves.toBe(1);
    await expect(fail('alice|1.2.3.4')).resolves.toBe(0);
    await expect(counter.budget('alice|1.2.3.4', policy).reserve()).rejects.toMatchObject({
      ...locked,
      details: { params: { seconds: 900 }, retryAfterSeconds: 900 },
    });
  });

  it('counts tries in flight against the limit, so a burst cannot outrun it', async () => {
    const budgets = Array.from({ length: 10 }, () => counter.budget('k', policy));
    const reserved = await Promise.allSettled(budgets.map((budget) => budget.reserve()));
    expect(reserved.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(reserved.filter((r) => r.status === 'rejected').map((r) => r.reason)).toEqual(Array(7).fill(expect.objectContaining(locked)));
  });

  it('gives a released try back', async () => {
    const budgets = Array.from({ length: 3 }, () => counter.budget('k', policy));
    for (const budget of budgets) await budget.reserve();
    await budgets[0].release();
    await expect(counter.budget('k', policy).reserve()).resolves.toBeUndefined();
  });

  it('keeps keys apart', async () => {
    for (let i = 0; i < 3; i++) await fail('a');
    await expect(counter.budget('b', policy).reserve()).resolves.toBeUndefined();
  });

  it('unlocks when the lock expires, by the clock', async () => {
    for (let i = 0; i < 3; i++) await fail('k');
    clock.advance(899);
    await expect(counter.budget('k', policy).reserve()).rejects.toMatchObject(locked);
    clock.advance(1);
    await expect(fail('k')).resolves.toBe(2);
  });

  it('forgets old failures after the window', async () => {
    await fail('k');
    await fail('k');
    clock.advance(900);
    await expect(fail('k')).resolves.toBe(2);
  });

  it('clears the count on success', async () => {
    await fail('k');
    await fail('k');
    const budget = counter.budget('k', policy);
    await budget.reserve();
    await budget.recordSuccess();
    await expect(fail('k')).resolves.toBe(2);
  });

  describe('loginBudget', () => {
    const failLogin = async (account: string, client: string) => {
      const budget = counter.loginBudget(account, client);
      await budget.reserve();
      return budget.recordFailure();
    };
    const succeedLogin = async (account: string, client: string) => {
      const budget = counter.loginBudget(account, client);
      await budget.reserve();
      await budget.recordSuccess();
    };

    it('locks a client at its own limit, and only that client', async () => {
      for (let i = 0; i < 3; i++) await failLogin('alice', 'ip:1.2.3.4');
      await expect(counter.loginBudget('alice', 'ip:1.2.3.4').reserve()).rejects.toMatchObject(locked);
      await expect(counter.loginBudget('alice', 'ip:5.6.7.8').reserve()).resolves.toBeUndefined();
    });

    it('locks the account for every client after more than 20 failures from anywhere, until the lock expires', async () => {
      for (let i = 0; i < ACCOUNT_LOGIN_POLICY.limit - 1; i++) await failLogin('alice', `ip:10.0.0.${i}`);
      await expect(failLogin('alice', 'ip:10.0.1.0')).resolves.toBe(0);
      await expect(counter.loginBudget('alice', 'ip:192.0.2.1').reserve()).rejects.toMatchObject({
        ...locked,
        details: { retryAfterSeconds: 900 },
      });
      await expect(counter.loginBudget('bob', 'ip:192.0.2.1').reserve()).resolves.toBeUndefined();
      clock.advance(900);
      await expect(counter.loginBudget('alice', 'ip:192.0.2.1').reserve()).resolves.toBeUndefined();
    });

    it('answers the fewer tries left of the two counts', async () => {
      for (let i = 0; i < ACCOUNT_LOGIN_POLICY.limit - 2; i++) await failLogin('alice', `ip:10.0.0.${i}`);
      await expect(failLogin('alice', 'ip:10.0.1.0')).resolves.toBe(1);
    });

    it("clears the client's count on success but not the account's, so the owner's login gives no stranger fresh guesses", async () => {
      for (let i = 0; i < ACCOUNT_LOGIN_POLICY.limit - 1; i++) await failLogin('alice', `ip:10.0.0.${i % 10}`);
      await succeedLogin('alice', 'ip:10.0.0.0');
      await expect(failLogin('alice', 'ip:10.0.0.0')).resolves.toBe(0);
      await expect(counter.loginBudget('alice', 'ip:10.0.0.0').reserve()).rejects.toMatchObject(locked);
    });

    it("gives the client's try back when the account refuses it", async () => {
      const inFlight = Array.from({ length: ACCOUNT_LOGIN_POLICY.limit }, (_, i) => counter.loginBudget('alice', `ip:10.0.0.${i}`));
      for (const budget of inFlight) await budget.reserve();
      // As many refusals as the client's limit: a try kept by each would lock the client by itself.
      for (let i = 0; i < 3; i++) await expect(counter.loginBudget('alice', 'ip:192.0.2.1').reserve()).rejects.toMatchObject(locked);
      await inFlight[0].release();
      await expect(counter.loginBudget('alice', 'ip:192.0.2.1').reserve()).resolves.toBeUndefined();
    });
  });
});
