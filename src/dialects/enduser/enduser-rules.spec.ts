import { optionalId, PASSWORD_FORMAT, USER_DOMAIN_FORMAT } from './enduser-rules';

describe('USER_DOMAIN_FORMAT', () => {
  it.each(['C.DM.10271.5', 'A.DM.1.1', 'Z.DM.0.123456'])('accepts %s', (domain) => {
    expect(USER_DOMAIN_FORMAT.test(domain)).toBe(true);
  });

  it.each(['c.DM.1.1', 'CC.DM.1.1', 'C.dm.1.1', 'C.DM.1', 'C.DM.1.1.1', 'C.DM.a.1', ' C.DM.1.1', 'C.DM.1.1\n', ''])(
    'refuses %j',
    (domain) => {
      expect(USER_DOMAIN_FORMAT.test(domain)).toBe(false);
    },
  );
});

describe('PASSWORD_FORMAT', () => {
  it.each(['china1234', 'abcdef', 'A!b@c#1', 'x'.repeat(20), '~!@#$%^&*()'])('accepts %j', (password) => {
    expect(PASSWORD_FORMAT.test(password)).toBe(true);
  });

  it.each(['abcde', 'x'.repeat(21), 'has space', '密码密码密码', 'tab\there', ''])('refuses %j', (password) => {
    expect(PASSWORD_FORMAT.test(password)).toBe(false);
  });
});

describe('optionalId', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['0', undefined],
    ['7', 7],
    ['2147483647', 2147483647],
  ])('%j -> %j', (value, expected) => {
    expect(optionalId(value)).toBe(expected);
  });

  it.each(['-1', '1.5', 'abc', ' 7', '2147483648', '1e3', null])('%j is not an id', (value) => {
    expect(optionalId(value)).toBeNaN();
  });
});
