import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { ErrorCode } from '../../error-codes/error-code';
import {
  checkInviteCode,
  checkPassword,
  checkRegisterReason,
  checkUsername,
  requiredString,
  stripWhitespace,
  usernameContentErrors,
} from './registration-rules';
import { JsonApiUsersErrorCode as J } from './jsonapi-users.error-map';
import { DEFAULT_SITE_SETTINGS, SiteSettings } from './site-settings';

const settings = (changes: Partial<SiteSettings> = {}): SiteSettings => ({ ...DEFAULT_SITE_SETTINGS, ...changes });
const codes = (checked: { errors: { code: ErrorCode; params?: unknown }[] }) =>
  checked.errors.map(({ code, params }) => (params ? [code, params] : [code]));

describe('stripWhitespace', () => {
  it('removes every kind of white space, inside too', () => {
    expect(stripWhitespace(' a\tb\nc\u3000d\u00a0e\ufefff ')).toBe('abcdef');
  });
});

describe('requiredString', () => {
  it.each([undefined, null, ''])('reports %j as missing', (value) => {
    expect(codes(requiredString(value, 'x', C.USERNAME_REQUIRED))).toEqual([[C.USERNAME_REQUIRED]]);
  });

  it.each([0, 1, true, [], ['a'], {}])('refuses %j as not a string', (value) => {
    expect(codes(requiredString(value, 'x', C.USERNAME_REQUIRED))).toEqual([[C.VALIDATION_FAILED, { rule: 'string' }]]);
  });
});

describe('checkUsername', () => {
  it.each([
    [' bob ', 'bob'],
    ['a b c', 'abc'],
    ['一二三四五六七八九十一二三四五', '一二三四五六七八九十一二三四五'],
    ['😀'.repeat(15), '😀'.repeat(15)],
  ])('%j becomes %j', (input, stored) => {
    expect(checkUsername(input)).toEqual({ value: stored, errors: [] });
  });

  it.each([
    ['   ', [[C.USERNAME_REQUIRED]]],
    ['a'.repeat(16), [[C.USERNAME_INVALID, { max: 15 }]]],
    ['😀'.repeat(16), [[C.USERNAME_INVALID, { max: 15 }]]],
    ['al\u200bice', [[C.USERNAME_INVALID]]],
    [`\u200b${'a'.repeat(16)}`, [[C.USERNAME_INVALID], [C.USERNAME_INVALID, { max: 15 }]]],
  ])('refuses %j', (input, expected) => {
    expect(codes(checkUsername(input))).toEqual(expected);
  });
});

describe('usernameContentErrors', () => {
  it('refuses the anonymous name in any width', () => {
    expect(codes({ errors: usernameContentErrors('匿名用户', []) })).toEqual([[J.USERNAME_RESERVED]]);
  });

  it('finds banned words inside names, in any case or width', () => {
    expect(codes({ errors: usernameContentErrors('SuperＡdmin', ['admin']) })).toEqual([[J.CONTENT_BANNED]]);
    expect(usernameContentErrors('administer', ['root'])).toEqual([]);
  });
});

describe('checkPassword', () => {
  it('accepts max(6, setting) to 50 characters', () => {
    expect(checkPassword('123456', settings({ passwordLength: 3 })).errors).toEqual([]);
    expect(codes(checkPassword('12345', settings({ passwordLength: 3 })))).toEqual([[C.PASSWORD_TOO_WEAK, { min: 6 }]]);
    expect(codes(checkPassword('1234567', settings({ passwordLength: 8 })))).toEqual([[C.PASSWORD_TOO_WEAK, { min: 8 }]]);
    expect(checkPassword('x'.repeat(50), settings()).errors).toEqual([]);
    expect(codes(checkPassword('x'.repeat(51), settings()))).toEqual([[C.PASSWORD_TOO_LONG, { max: 50 }]]);
  });

  it('refuses what bcrypt would cut or fold', () => {
    expect(codes(checkPassword('密'.repeat(25), settings()))).toEqual([[C.PASSWORD_TOO_LONG, { bytes: 72 }]]);
    expect(codes(checkPassword('secret\ud800', settings()))).toEqual([[C.PASSWORD_INVALID]]);
  });

  it.each([
    ['abcdef', ['digits'], false],
    ['abc123', ['digits', 'lowercase'], true],
    ['ABC123', ['lowercase'], false],
    ['abc12!', ['symbols'], true],
    ['Abcdef', ['uppercase', 'lowercase'], true],
  ] as const)('%j with rules %j passes: %s', (password, rules, passes) => {
    const checked = checkPassword(password, settings({ passwordStrength: [...rules] }));
    expect(codes(checked)).toEqual(passes ? [] : [[C.PASSWORD_TOO_WEAK, { requires: rules.join(',') }]]);
  });
});

describe('checkRegisterReason', () => {
  it('is optional outside review mode, where an empty one counts as none', () => {
    expect(checkRegisterReason(undefined, 'open')).toEqual({ value: undefined, errors: [] });
    expect(checkRegisterReason('', 'open')).toEqual({ value: undefined, errors: [] });
  });

  it.each([undefined, null, '', '  '])('is required in review mode: %j', (value) => {
    expect(codes(checkRegisterReason(value, 'review'))).toEqual([[J.REGISTER_REASON_REQUIRED]]);
  });

  it('allows 50 characters and refuses 51 or a non-string', () => {
    expect(checkRegisterReason('理'.repeat(50), 'review').errors).toEqual([]);
    expect(codes(checkRegisterReason('理'.repeat(51), 'open'))).toEqual([[C.VALIDATION_FAILED, { rule: 'max', max: 50 }]]);
    expect(codes(checkRegisterReason(7, 'open'))).toEqual([[C.VALIDATION_FAILED, { rule: 'string' }]]);
  });
});

describe('checkInviteCode', () => {
  it('upper-cases and trims a code, and requires one only when the site does', () => {
    expect(checkInviteCode(' abc2 ', settings())).toEqual({ value: 'ABC2', errors: [] });
    expect(checkInviteCode(undefined, settings())).toEqual({ value: undefined, errors: [] });
    expect(codes(checkInviteCode(undefined, settings({ inviteRequired: true })))).toEqual([[J.INVITE_CODE_REQUIRED]]);
    expect(codes(checkInviteCode('  ', settings({ inviteRequired: true })))).toEqual([[J.INVITE_CODE_REQUIRED]]);
    expect(codes(checkInviteCode(123, settings()))).toEqual([[C.VALIDATION_FAILED, { rule: 'string' }]]);
  });
});
