import {
  emailSkeleton,
  isModeratelyRestrictive,
  isSingleScriptEmail,
  isSingleScriptUsername,
  skeleton,
  usernameSkeleton,
} from './identity';

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
  });

  describe('isModeratelyRestrictive (UTS #39 §5.2)', () => {
    it.each(['john', 'Привет', 'ελληνικά', '東京tokyo', 'ひらがなkanji漢字', '한국어abc', 'हिन्दीabc', 'abc١٢', 'a_b-c.1', 'ab\u0301c'])(
      'accepts %j',
      (value) => {
        expect(isModeratelyRestrictive(value)).toBe(true);
      },
    );

    it.each(['jоhn', 'аbc', 'αbc', 'Привеt', 'abcไทยहिन्दी'])('refuses %j', (value) => {
      expect(isModeratelyRestrictive(value)).toBe(false);
    });
  });

  describe('usernames', () => {
    it('compare after NFKC and case folding', () => {
      expect(usernameSkeleton('JОHN')).toBe(usernameSkeleton('john'));
      expect(usernameSkeleton('ann')).toMatch(/^[0-9a-f]{64}$/);
    });

    it('refuse a mix of Latin and Cyrillic', () => {
      expect(isSingleScriptUsername('jоhn')).toBe(false);
      expect(isSingleScriptUsername('сор')).toBe(true);
    });
  });

  describe('emails', () => {
    it('compare local parts by skeleton and domains by their ASCII form', () => {
      expect(emailSkeleton('jоhn@example.com')).toBe(emailSkeleton('JOHN@example.com'));
      expect(emailSkeleton('p@bücher.de')).toBe(emailSkeleton('p@XN--BCHER-KVA.de'));
      expect(emailSkeleton('p@exаmple.com')).toBe(emailSkeleton('p@xn--exmple-4nf.com'));
      expect(emailSkeleton('p@example.com')).not.toBe(emailSkeleton('p@example.org'));
    });

    it('refuse a mixed-script local part or domain label, in either form of the domain', () => {
      expect(isSingleScriptEmail('jоhn@example.com')).toBe(false);
      expect(isSingleScriptEmail('p@exаmple.com')).toBe(false);
      expect(isSingleScriptEmail('p@xn--exmple-4nf.com')).toBe(false);
      expect(isSingleScriptEmail('p@bücher.de')).toBe(true);
      expect(isSingleScriptEmail('почта@пример.рф')).toBe(true);
    });
  });
});
