import { Tenant } from './entities/tenant.entity';
import { allowsCommonPasswords, isCommonPassword } from './common-passwords';

describe('common passwords', () => {
  it.each([
    '123456',
    'password',
    'PASSWORD',
    'qwerty',
    'secret1',
    '      ',
    'zzzzzzzz',
    ' password',
    'password ',
    'p a s s w o r d',
    '\uFF50\uFF41\uFF53\uFF53\uFF57\uFF4F\uFF52\uFF44',
    'password\u200B',
    'pass\u3000word',
    'z z z z z z',
    'p\u0430ssword',
    '\u0420\u0410SSWORD',
    'password\u2800',
    'pass\u2800word',
    '1l1l1l1l',
  ])('finds %j', (password) => {
    expect(isCommonPassword(password)).toBe(true);
  });

  it.each(['Tulip-Garden-42', 'correct-horse-7', 'x', 'Tulip Garden 42'])('lets %j through', (password) => {
    expect(isCommonPassword(password)).toBe(false);
  });

  it('are refused unless the tenant allows them', () => {
    const tenant = (settings: Record<string, unknown>) => Object.assign(new Tenant(), { settings });
    expect(allowsCommonPasswords(tenant({}))).toBe(false);
    expect(allowsCommonPasswords(tenant({ allowCommonPasswords: 'yes' }))).toBe(false);
    expect(allowsCommonPasswords(tenant({ allowCommonPasswords: true }))).toBe(true);
  });
});
