import type { DialectErrorRenderer } from '../error-codes/dialect-error-renderer';
import { DialectResolver, DialectRoutes } from './dialect-resolver';

const errors: DialectErrorRenderer = { render: () => ({ status: 400, body: {}, outcome: 'x' }) };
const dialect = (name: string, pathPrefixes: string[], secretQueryParameters: string[] = []): DialectRoutes => ({
  name,
  pathPrefixes,
  errors,
  secretQueryParameters,
});

describe('DialectResolver', () => {
  const broad = dialect('broad', ['/api/'], ['Token']);
  const narrow = dialect('narrow', ['/api/v1/'], ['password']);
  const twoPrefixes = dialect('two', ['/v2/enduser/', '/v2/mail/']);

  it.each([
    ['/api/v1/register/email', 'narrow'],
    ['/api/v1/', 'narrow'],
    ['/api/register', 'broad'],
    ['/api/v2/anything', 'broad'],
    ['/v2/mail/enduserapi/v2/sendEmail', 'two'],
    ['/v2/enduser/enduserapi/emailPwdRegister', 'two'],
  ])('gives %s to the dialect with the longest matching prefix (%s), in either registry order', (path, name) => {
    expect(new DialectResolver([broad, narrow, twoPrefixes]).dialectOf(path)?.name).toBe(name);
    expect(new DialectResolver([twoPrefixes, narrow, broad]).dialectOf(path)?.name).toBe(name);
  });

  it.each(['/healthz', '/api', '/API/v1/register/email', '/docs/openapi.json', '/v2/other/'])('gives %s to no dialect', (path) => {
    const resolver = new DialectResolver([broad, narrow, twoPrefixes]);
    expect(resolver.dialectOf(path)).toBeUndefined();
    expect(resolver.nameOf(path)).toBe('none');
  });

  it('names the owning dialect', () => {
    expect(new DialectResolver([broad, narrow]).nameOf('/api/v1/register/username')).toBe('narrow');
  });

  it('refuses two dialects claiming the same prefix', () => {
    expect(() => new DialectResolver([broad, dialect('copy', ['/api/'])])).toThrow(
      'dialects broad and copy both claim the path prefix /api/',
    );
  });

  it('gathers every dialect secret parameter in lower case', () => {
    expect([...new DialectResolver([broad, narrow]).secretQueryParameters].sort()).toEqual(['password', 'token']);
  });

  it.each([
    ['/api/poll/Zq9-secret', '/api/poll/[redacted]'],
    ['/api/poll/Zq9-secret/more?x=1', '/api/poll/[redacted]/more?x=1'],
    ['/api/poll/Zq9;x?y', '/api/poll/[redacted];x?y'],
    ['/api/poll/', '/api/poll/'],
    ['/api/polling/abc', '/api/polling/abc'],
    ['/api/register?token=x', '/api/register?token=x'],
  ])('redacts the secret path segment of %s', (url, shown) => {
    const polled = { ...dialect('polled', ['/api/']), secretPathPrefixes: ['/api/poll/'] };
    expect(new DialectResolver([polled, narrow]).redactPath(url)).toBe(shown);
  });
});
