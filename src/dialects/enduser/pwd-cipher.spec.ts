import { createCipheriv } from 'crypto';
import { decryptPwd, encryptPwd, PwdDecryptionError } from './pwd-cipher';

const SEED_RANDOM = 'j1acpdj2bmtqZXVb';
const SEED_PWD = 'china1234';
const SEED_CIPHERTEXT = 'lkZMvj0KDSJXlp66jBieHA==';
const SEED_KEY = '89A049614445CCA8';
const SEED_IV = '4445CCA889A04961';

function encryptWithSeedKey(plain: Buffer): string {
  const cipher = createCipheriv('aes-128-cbc', Buffer.from(SEED_KEY, 'ascii'), Buffer.from(SEED_IV, 'ascii'));
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

describe('pwd-cipher', () => {
  describe('seed vector', () => {
    it('encrypts to the documented ciphertext', () => {
      expect(encryptPwd(SEED_PWD, SEED_RANDOM)).toBe(SEED_CIPHERTEXT);
    });

    it('decrypts the documented ciphertext', () => {
      expect(decryptPwd(SEED_CIPHERTEXT, SEED_RANDOM)).toBe(SEED_PWD);
    });

    it('matches the documented key and IV', () => {
      expect(encryptWithSeedKey(Buffer.from(SEED_PWD, 'utf8'))).toBe(SEED_CIPHERTEXT);
    });
  });

  it.each(['密码Pässwörd🔑', '\uFEFFbom-first', 'a'.repeat(16), 'x'])('round-trips %j', (pwd) => {
    const random = 'Zq81LmN0pRsT4uVw';
    expect(decryptPwd(encryptPwd(pwd, random), random)).toBe(pwd);
  });

  describe('failures', () => {
    const expectFailure = (cipherText: string, random = SEED_RANDOM) =>
      expect(() => decryptPwd(cipherText, random)).toThrow(PwdDecryptionError);

    it('rejects an empty string', () => {
      expectFailure('');
    });

    it.each([
      ['non-alphabet characters', 'lkZMvj0KDSJX!p66jBieHA=='],
      ['missing padding', 'lkZMvj0KDSJXlp66jBieHA'],
      ['length not a multiple of 4', 'lkZMvj0KDSJXlp66jBieHA='],
      ['padding in the middle', 'lkZM=j0KDSJXlp66jBieHA=='],
      ['URL-safe alphabet', 'lkZMvj0KDSJXlp66jBie-_=='],
      ['whitespace', ' lkZMvj0KDSJXlp66jBieHA=='],
      ['plain text', 'not base64 at all'],
    ])('rejects garbage Base64 (%s)', (_label, cipherText) => {
      expectFailure(cipherText);
    });

    it('rejects a ciphertext that is not a whole number of blocks', () => {
      expectFailure(Buffer.alloc(15).toString('base64'));
      expectFailure(Buffer.alloc(17).toString('base64'));
    });

    it('rejects decryption with the wrong random', () => {
      expectFailure(SEED_CIPHERTEXT, 'wrong-random-000');
    });

    it('rejects plaintext that is not valid UTF-8', () => {
      expectFailure(encryptWithSeedKey(Buffer.from([0x61, 0xff, 0xfe, 0x62])));
    });

    it('reports failures with the PwdDecryptionError name', () => {
      expect(() => decryptPwd('', SEED_RANDOM)).toThrow(expect.objectContaining({ name: 'PwdDecryptionError' }));
    });
  });
});
