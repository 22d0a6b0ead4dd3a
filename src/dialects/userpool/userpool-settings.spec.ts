import { Tenant } from '../../users/entities/tenant.entity';
import { loginPolicyOf } from './userpool-settings';

const GLOBAL = { limit: 5, windowSeconds: 900, lockSeconds: 900 };
const pool = (settings: Record<string, unknown>) => ({ settings }) as Tenant;

describe('loginPolicyOf', () => {
  it.each([
    [{}, GLOBAL],
    [{ loginFailures: 3 }, { limit: 3, windowSeconds: 900, lockSeconds: 900 }],
    [{ loginWindowSeconds: 60 }, { limit: 5, windowSeconds: 60, lockSeconds: 60 }],
    [
      { loginFailures: 10, loginWindowSeconds: 3600 },
      { limit: 10, windowSeconds: 3600, lockSeconds: 3600 },
    ],
  ])('reads %j as %j', (settings, policy) => {
    expect(loginPolicyOf(pool(settings), GLOBAL)).toEqual(policy);
  });
});
