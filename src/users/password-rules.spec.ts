import { characterClasses, characterLength } from './password-rules';

describe('characterClasses', () => {
  it.each([
    ['abc', ['lowercase']],
    ['ABC', ['uppercase']],
    ['123', ['digits']],
    ['!@# ', ['symbols']],
    ['aB3$', ['lowercase', 'uppercase', 'digits', 'symbols']],
    ['密码abc', ['lowercase']],
  ])('%j uses %j', (password, expected) => {
    expect([...characterClasses(password)].sort()).toEqual([...expected].sort());
  });
});

describe('characterLength', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(characterLength('😀😀')).toBe(2);
  });
});
