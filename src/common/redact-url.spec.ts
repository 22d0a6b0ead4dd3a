import { redactUrl as redact } from './redact-url';

const SECRETS = new Set(['pwd', 'password', 'random', 'code']);
const redactUrl = (url: string) => redact(url, SECRETS);

describe('redactUrl', () => {
  it('leaves a URL without a query alone', () => {
    expect(redactUrl('/api/v1/register/email')).toBe('/api/v1/register/email');
  });

  it('redacts every secret parameter and keeps the rest', () => {
    expect(redactUrl('/v2/x?email=a%40x.io&pwd=abc&random=r&code=123456&userDomain=C.DM.1.1')).toBe(
      '/v2/x?email=a%40x.io&pwd=[redacted]&random=[redacted]&code=[redacted]&userDomain=C.DM.1.1',
    );
  });

  it('catches encoded and upper-case names', () => {
    expect(redactUrl('/x?%70wd=1&PASSWORD=2')).toBe('/x?%70wd=[redacted]&PASSWORD=[redacted]');
  });

  it('survives malformed encoding', () => {
    expect(redactUrl('/x?%E0%A4%A=1&pwd=2')).toBe('/x?%E0%A4%A=1&pwd=[redacted]');
  });
});
