import { OAUTH_STATE_TTL_MS, OauthStates } from './oauth-state';

describe('OauthStates', () => {
  const states = new OauthStates('test-secret-that-is-long-enough');
  const now = Date.UTC(2026, 0, 1);

  it('issues states of letters and digits within 128 bytes, as WeChat asks, each one new', () => {
    const first = states.issue(1, 'client:abc', now);
    expect(first).toMatch(/^[A-Za-z0-9]{1,128}$/);
    expect(states.issue(1, 'client:abc', now)).not.toBe(first);
  });

  it('verifies a state for its own site and flow only, until it expires', () => {
    const state = states.issue(1, 'client:abc', now);
    expect(states.verify(state, 1, 'client:abc', now + OAUTH_STATE_TTL_MS - 1)).toBe(true);
    expect(states.verify(state, 1, 'client:abc', now + OAUTH_STATE_TTL_MS)).toBe(false);
    expect(states.verify(state, 2, 'client:abc', now)).toBe(false);
    expect(states.verify(state, 1, 'client:abd', now)).toBe(false);
    expect(states.verify(state, 1, 'pc:abc', now)).toBe(false);
  });

  it('refuses a state under another secret, a later expiry written in, and malformed ones', () => {
    const state = states.issue(1, 'client:', now);
    expect(new OauthStates('another-secret-that-is-long-enough').verify(state, 1, 'client:', now)).toBe(false);
    const extended = `${(now + 10 * OAUTH_STATE_TTL_MS).toString(16).padStart(12, '0')}${state.slice(12)}`;
    expect(states.verify(extended, 1, 'client:', now)).toBe(false);
    for (const bad of ['', state.toUpperCase(), `${state}0`, state.slice(1), 'z'.repeat(60)]) {
      expect(states.verify(bad, 1, 'client:', now)).toBe(false);
    }
  });
});
