import { deviceIdKey, isDeviceId } from './device-id';

describe('device ids', () => {
  it.each([
    ['an ASCII id', 'dev-1'],
    ['an IDFA', '6D92078A-8246-4BA4-AE5B-76104861E7DC'],
    ['one character', 'x'],
    ['256 characters', 'x'.repeat(256)],
    ['256 astral characters (512 UTF-16 units)', '😀'.repeat(256)],
    ['inner spaces', 'my phone'],
    ['CJK', '设备一号'],
    ['a decomposed accent', 'cafe\u0301'],
  ])('accepts %s', (_label, id) => {
    expect(isDeviceId(id)).toBe(true);
  });

  it.each([
    ['an empty string', ''],
    ['257 characters', 'x'.repeat(257)],
    ['a NUL', 'a\u0000b'],
    ['a tab', 'a\tb'],
    ['a line feed', 'a\nb'],
    ['a C1 control', 'a\u0085b'],
    ['a zero-width space', 'a\u200bb'],
    ['a zero-width joiner', 'a\u200db'],
    ['a bidi override', 'a\u202eb'],
    ['a BOM', '\ufeffab'],
    ['a tag character', 'a\u{E0041}'],
    ['a variation selector', 'a\ufe0f'],
    ['a Hangul filler', 'a\u3164'],
    ['a combining grapheme joiner', 'a\u034fb'],
    ['the braille blank', 'a\u2800'],
    ['a line separator', 'a\u2028b'],
    ['a private-use character', 'a\ue000'],
    ['an unassigned code point', 'a\u{E0080}'],
    ['a non-character', 'a\uffff'],
    ['a lone surrogate', 'a\ud800'],
    ['a leading space', ' ab'],
    ['a trailing no-break space', 'ab\u00a0'],
    ['an ideographic space at the end', 'ab\u3000'],
    ['spaces only', '   '],
    ['a number', 42],
    ['null', null],
    ['an array', ['ab']],
  ])('refuses %s', (_label, id) => {
    expect(isDeviceId(id)).toBe(false);
  });

  it('binds composed and decomposed spellings as one id, and nothing else as the same', () => {
    expect(deviceIdKey('cafe\u0301')).toBe(deviceIdKey('caf\u00e9'));
    expect(deviceIdKey('ABC')).not.toBe(deviceIdKey('abc'));
    // NFC, not NFKC: a full-width letter is another id.
    expect(deviceIdKey('ａbc')).not.toBe(deviceIdKey('abc'));
  });
});
