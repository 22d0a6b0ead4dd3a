import { maskEmail, maskEmailsIn, redactUrl as redact } from './redact-url';

const SECRETS = new Set(['pwd', 'password', 'random', 'code']);
const redactUrl = (url: string) => redact(url, SECRETS);

describe('redactUrl', () => {
  it('leaves a URL without a query alone', () => {
    expect(redactUrl('/api/v1/register/email')).toBe('/api/v1/register/email');
  });

  it('redacts every secret parameter, masks email addresses and keeps the rest', () => {
    expect(redactUrl('/v2/x?email=bob%40x.io&pwd=abc&random=r&code=123456&userDomain=C.DM.1.1')).toBe(
      '/v2/x?email=b***%40x.io&pwd=[redacted]&random=[redacted]&code=[redacted]&userDomain=C.DM.1.1',
    );
  });

  it('masks a value with an @ that is no well-formed address too', () => {
    expect(redactUrl('/x?email=%22a+b%22%40example.com')).toBe('/x?email=%22***%40example.com');
  });

  it('masks an email address sent unencoded, in any parameter', () => {
    expect(redactUrl('/x?to=alice@example.com&note=hi')).toBe('/x?to=a***%40example.com&note=hi');
  });

  it.each([
    ['/x?email=a@b.com;pwd=X', '/x?email=a***%40b.com;pwd=[redacted]'],
    ['/x?email=a@b.com;note=X', '/x?email=a***%40b.com;note=X'],
    ['/x?email=a%40b.com%3Bpwd%3DX', '/x?email=***'],
    ['/x?email=a@b.com,pwd=X', '/x?email=***'],
    ['/x?email=a@b.com pwd=X', '/x?email=***'],
    ['/x?email=a@b.com/X', '/x?email=***'],
    ['/x?to=a@b.com@X', '/x?to=***'],
    ['/x?bob%40example.com&a=1', '/x?***&a=1'],
    ['/x?to=%22a%22%40%E4%BE%8B%E3%81%88.jp', '/x?to=%22***%40%E4%BE%8B%E3%81%88.jp'],
  ])('masks the whole of %j when what follows the @ is no domain, and redacts after any separator', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });

  it('masks every address inside free text', () => {
    expect(maskEmailsIn('550 <bob@example.com>: mailbox unavailable; cc carol@x.io')).toBe(
      '550 <b***@example.com>: mailbox unavailable; cc c***@x.io',
    );
  });

  it.each([
    ['bob@example.com', 'b***@example.com'],
    ['b@x.io', 'b***@x.io'],
    ['ü@例え.jp', 'ü***@例え.jp'],
    ['not an email', 'not an email'],
    ['"a b"@example.com', '"***@example.com'],
    ['victim@example.com ', 'v***@example.com '],
    ['a@x.com,attacker@evil.com', 'a***@evil.com'],
  ])('maskEmail(%j) is %j', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });

  it('catches encoded and upper-case names', () => {
    expect(redactUrl('/x?%70wd=1&PASSWORD=2')).toBe('/x?%70wd=[redacted]&PASSWORD=[redacted]');
  });

  it('catches array and control-character variants of a secret name', () => {
    expect(redactUrl('/x?pwd[]=a&pwd%00=b&p%77d=c')).toBe('/x?pwd[]=[redacted]&pwd%00=[redacted]&p%77d=[redacted]');
  });

  it('catches indexed and dotted variants of a secret name, which qs and others nest under it', () => {
    expect(redactUrl('/x?pwd[0]=a&Code[x]=b&password.x=c&pwd%5B1%5D=d&random%2Ey=e&pwdx=f')).toBe(
      '/x?pwd[0]=[redacted]&Code[x]=[redacted]&password.x=[redacted]&pwd%5B1%5D=[redacted]&random%2Ey=[redacted]&pwdx=f',
    );
  });

  it('masks an email address in the path', () => {
    expect(redactUrl('/nope/Leak.Me@example.com?x=1')).toBe('/nope/L***@example.com?x=1');
  });

  it('masks a percent-encoded email address in the path, with or without a query', () => {
    expect(redactUrl('/api/users/bob%40example.com')).toBe('/api/users/b***%40example.com');
    expect(redactUrl('/api/users/bob%40example.com/x?y=1')).toBe('/api/users/b***%40example.com/x?y=1');
    expect(redactUrl('/api/users/%E0%A4%A/bob%40example.com')).toBe('/api/users/%E0%A4%A/b***%40example.com');
    expect(redactUrl('/api/users/a%40b/c')).toBe('/api/users/a%40b/c');
  });

  it('survives malformed encoding', () => {
    expect(redactUrl('/x?%E0%A4%A=1&pwd=2')).toBe('/x?%E0%A4%A=1&pwd=[redacted]');
  });
});
