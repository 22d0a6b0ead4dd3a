import { emailSkeleton, isModeratelyRestrictive, isAllowedNewEmail, isAllowedNewUsername, skeleton, usernameSkeleton } from './identity';

describe('identity', () => {
  describe('skeleton (UTS #39 §4)', () => {
    it.each([
      ['jоhn', 'john'],
      ['сор', 'cop'],
      ['раураl', 'paypal'],
      ['m', 'rn'],
    ])('maps %j like %j', (lookAlike, original) => {
      expect(skeleton(lookAlike)).toBe(skeleton(original));
    });

    it('keeps apart what does not look alike', () => {
      expect(skeleton('josé')).not.toBe(skeleton('jose'));
      expect(skeleton('john')).not.toBe(skeleton('joan'));
    });

    it.each(['034F', '3164', '115F', 'FFA0', 'FE00', 'FE0F', '180B', '17B4', '200B', '00AD'])('drops the default-ignorable U+%s', (hex) => {
      expect(skeleton(`hk${String.fromCodePoint(parseInt(hex, 16))}1`)).toBe(skeleton('hk1'));
    });
  });

  describe('isModeratelyRestrictive (UTS #39 §5.2)', () => {
    it.each(['john', 'Привет', 'ελληνικά', '東京tokyo', 'ひらがなkanji漢字', '한국어abc', 'हिन्दीabc', 'abc١٢', 'a_b-c.1', 'ab\u0301c'])(
      'accepts %j',
      (value) => {
        expect(isModeratelyRestrictive(value)).toBe(true);
      },
    );

    it.each(['jоhn', 'аbc', 'αbc', 'Привеt', 'abcไทยहिन्दी', 'j\u13BEhn9', 'abc\u1400\u1401'])('refuses %j', (value) => {
      expect(isModeratelyRestrictive(value)).toBe(false);
    });
  });

  describe('usernames', () => {
    it('compare after NFKC and case folding', () => {
      expect(usernameSkeleton('JОHN')).toBe(usernameSkeleton('john'));
      expect(usernameSkeleton('ann')).toMatch(/^[0-9a-f]{64}$/);
    });

    it.each([
      ['ALIC5I', 'ALIC5l'],
      ['BOB5O', 'BOB50'],
      ['BO5O', 'bo50'],
      ['Alic5I', 'alic5l'],
    ])('take %j and %j for one name, though case folding alone parts I from l and O from 0', (first, second) => {
      expect(usernameSkeleton(first)).toBe(usernameSkeleton(second));
    });

    it.each([
      ['alice', 'alicia'],
      ['bob5', 'bob6'],
      ['john', 'joan'],
      ['straße', 'strabe'],
      ['ann', 'anna'],
    ])('keep %j and %j apart', (first, second) => {
      expect(usernameSkeleton(first)).not.toBe(usernameSkeleton(second));
    });

    it('refuse a mix of Latin and Cyrillic, or Latin and a script that is not Recommended', () => {
      expect(isAllowedNewUsername('jоhn')).toBe(false);
      expect(isAllowedNewUsername('j\u13BEhn9')).toBe(false);
      expect(isAllowedNewUsername('сор')).toBe(true);
    });

    it.each(['\u13A0\u13A1\u13A2', '\uAB7B\uAB7A\uAB83020', '\u13E3\u13B3\u13A94683', '\u{10400}\u{10401}'])(
      'refuse %j, in a script that is not Recommended, even alone',
      (username) => {
        expect(isAllowedNewUsername(username)).toBe(false);
        expect(isAllowedNewEmail(`${username}@example.com`)).toBe(false);
      },
    );

    it.each([
      'JAW020',
      '\u5C71\u7530',
      '\u0441\u043E\u0440',
      '\u03B1\u03B2\u03B3',
      'm\u00FCller',
      '\u0645\u0631\u064A\u0645',
      'pi\u00F1a_2',
    ])('accept %j, in Recommended scripts', (username) => {
      expect(isAllowedNewUsername(username)).toBe(true);
      expect(isAllowedNewEmail(`${username}@example.com`)).toBe(true);
    });

    it.each(['hk\u034F1', 'hk1\u3164', 'hk\u115F1', 'hk1\uFE0F', 'hk1\u180B', 'hk1\u17B4', 'hk1\u2800', 'hk1\uFFA0'])(
      'refuse the invisible %j',
      (username) => {
        expect(isAllowedNewUsername(username)).toBe(false);
        expect(usernameSkeleton(username.replace('\u2800', ''))).toBe(usernameSkeleton('hk1'));
      },
    );
  });

  describe('emails', () => {
    it('compare local parts by skeleton and domains by their ASCII form', () => {
      expect(emailSkeleton('jоhn@example.com')).toBe(emailSkeleton('JOHN@example.com'));
      expect(emailSkeleton('p@bücher.de')).toBe(emailSkeleton('p@XN--BCHER-KVA.de'));
      expect(emailSkeleton('p@exаmple.com')).toBe(emailSkeleton('p@xn--exmple-4nf.com'));
      expect(emailSkeleton('p@example.com')).not.toBe(emailSkeleton('p@example.org'));
    });

    it('compare local parts after NFKC and without regard to case', () => {
      expect(emailSkeleton('\uFF46\uFF57\uFF11@example.com')).toBe(emailSkeleton('fw1@example.com'));
      expect(emailSkeleton('ALIC5I@example.com')).toBe(emailSkeleton('ALIC5l@example.com'));
      expect(emailSkeleton('bob5o@example.com')).toBe(emailSkeleton('BOB50@example.com'));
      expect(emailSkeleton('eu1\u3164@example.com')).toBe(emailSkeleton('eu1@example.com'));
      expect(emailSkeleton('alice@example.com')).not.toBe(emailSkeleton('alicia@example.com'));
    });

    it('refuse a mixed-script local part or domain label, in either form of the domain', () => {
      expect(isAllowedNewEmail('jоhn@example.com')).toBe(false);
      expect(isAllowedNewEmail('p@exаmple.com')).toBe(false);
      expect(isAllowedNewEmail('p@xn--exmple-4nf.com')).toBe(false);
      expect(isAllowedNewEmail('j\u13BEhn@example.com')).toBe(false);
      expect(isAllowedNewEmail('p@bücher.de')).toBe(true);
      expect(isAllowedNewEmail('почта@пример.рф')).toBe(true);
    });

    it.each([
      'eu1\u3164@example.com',
      'eu\u034F1@example.com',
      'eu1\uFFA0@example.com',
      'eu1\u2800@example.com',
      '"p1"@example.org',
      '"p 1"@example.org',
    ])('refuse %j', (email) => {
      expect(isAllowedNewEmail(email)).toBe(false);
    });
  });
});
