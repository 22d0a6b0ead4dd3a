import { hasForbiddenUsernameCharacters, isValidEmail, normalizeEmail, normalizeUsername } from './normalization';

describe('normalizeEmail', () => {
  it.each([
    ['A@x.io', 'a@x.io'],
    ['John.Doe@Example.COM', 'john.doe@example.com'],
    ['jose\u0301@x.io', 'jos\u00e9@x.io'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it('keeps accented and plain letters apart', () => {
    expect(normalizeEmail('josé@x.io')).not.toBe(normalizeEmail('jose@x.io'));
  });
});

describe('isValidEmail', () => {
  it.each(['a@x.io', 'first.last+tag@sub.example.org', 'josé@example.com'])('accepts %s', (email) => {
    expect(isValidEmail(email)).toBe(true);
  });

  it.each([
    'plainaddress',
    'a@b',
    '@x.io',
    'a@x.io\u0000',
    'a\u200b@x.io',
    `${'a'.repeat(250)}@x.io`,
    "x' OR 1=1 --@x.io",
    'a@x..io',
    '\ud800@x.io',
  ])('rejects %j', (email) => {
    expect(isValidEmail(email)).toBe(false);
  });
});

describe('normalizeUsername', () => {
  it('folds case', () => {
    expect(normalizeUsername('Alice')).toBe(normalizeUsername('ALICE'));
  });

  it('folds compatibility forms (NFKC)', () => {
    expect(normalizeUsername('ｊｏｈｎ')).toBe('john');
    expect(normalizeUsername('\ufb01sh')).toBe('fish');
  });

  it('folds composed and decomposed forms (NFC)', () => {
    expect(normalizeUsername('jose\u0301')).toBe(normalizeUsername('jos\u00e9'));
  });

  it('applies full case folding, not just lower-casing', () => {
    expect(normalizeUsername('straße')).toBe(normalizeUsername('STRASSE'));
  });

  it('keeps different letters different', () => {
    expect(normalizeUsername('josé')).not.toBe(normalizeUsername('jose'));
  });
});

describe('hasForbiddenUsernameCharacters', () => {
  it.each(['al\u200bice', 'bob\u0007', 'eve\u202e', 'x\ufeff', 'lone\ud800', ' bob', 'bob ', '\u3000bob', '   ', ''])(
    'refuses %j',
    (name) => {
      expect(hasForbiddenUsernameCharacters(name)).toBe(true);
    },
  );

  it.each(['alice', '张三', 'o_brien-2', 'josé'])('allows %j', (name) => {
    expect(hasForbiddenUsernameCharacters(name)).toBe(false);
  });
});
