import {
  hasForbiddenTextCharacters,
  hasForbiddenUsernameCharacters,
  isValidEmail,
  normalizeEmail,
  normalizeUsername,
} from './normalization';

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

describe('hasForbiddenTextCharacters', () => {
  it.each([
    ['a Hangul filler', '\u3164'],
    ['a half-width Hangul filler', '\uFFA0'],
    ['Hangul choseong and jungseong fillers', '\u115F\u1160'],
    ['the braille blank', '\u2800'],
    ['the braille blank between letters', 'a\u2800b'],
    ['a combining grapheme joiner between letters', 'a\u034Fb'],
    ['a variation selector alone', '\uFE0F'],
    ['two variation selectors after a letter', 'a\uFE0F\uFE0F'],
    ['a Khmer inherent vowel', '\u17B4'],
    ['a Mongolian free variation selector alone', '\u180B'],
    ['ZWJs only', '\u200D\u200D\u200D'],
    ['200 ZWJs between two letters', `a${'\u200D'.repeat(200)}b`],
    ['a ZWJ at the end', 'a\u200D'],
    ['a ZWNJ at the start', '\u200Cb'],
    ['a ZWJ after a space', 'a \u200Db'],
    ['a tag letter', 'ios\u{E0041}'],
    ['tag letters without a cancel tag', '\u{1F3F4}\u{E0067}\u{E0062}'],
    ['tag letters after something other than a black flag', 'a\u{E0067}\u{E0062}\u{E007F}'],
    ['a soft hyphen', 'a\u00ADb'],
  ])('refuses %s', (_, text) => {
    expect(hasForbiddenTextCharacters(text)).toBe(true);
  });

  it.each([
    ['an emoji ZWJ family', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}'],
    ['a skin tone', '\u{1F44D}\u{1F3FD}'],
    ['a ZWJ sequence with a skin tone', '\u{1F469}\u{1F3FD}\u200D\u{1F4BB}'],
    ['a keycap', '#\uFE0F\u20E3'],
    ['a red heart', '\u2764\uFE0F'],
    ['a ZWJ after a variation selector', '\u{1F3F3}\uFE0F\u200D\u{1F308}'],
    ['a flag', '\u{1F1EF}\u{1F1F5}'],
    ['the England flag', '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}'],
    ['the Scotland flag in text', 'go \u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}!'],
    ['Persian with ZWNJ', '\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645'],
    ['a Devanagari conjunct with ZWJ', '\u0915\u094D\u200D\u0937'],
    ['line breaks and tabs', 'line one\n\tline two'],
  ])('accepts %s', (_, text) => {
    expect(hasForbiddenTextCharacters(text)).toBe(false);
  });
});
