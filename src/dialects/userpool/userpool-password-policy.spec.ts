import { meetsStrengthLevel, passwordSecurityLevel } from './userpool-password-policy';

describe('meetsStrengthLevel', () => {
  it.each([
    ['x', 0, true],
    ['', 0, false],
    ['12345', 1, false],
    ['123456', 1, true],
    ['123456', 2, false],
    ['abc123', 2, true],
    ['abc!!!', 2, true],
    ['ABCDEF', 2, false],
    ['abc123', 3, false],
    ['abc12!', 3, true],
    ['Ab1!', 3, false],
    ['密码密码12', 2, true],
  ] as const)('%j at level %i -> %s', (password, level, expected) => {
    expect(meetsStrengthLevel(password, level)).toBe(expected);
  });
});

describe('passwordSecurityLevel', () => {
  it.each([
    ['abc', 1],
    ['abcdef', 1],
    ['abc123', 2],
    ['abc12!', 3],
  ])('%j -> %i', (password, level) => {
    expect(passwordSecurityLevel(password)).toBe(level);
  });
});
