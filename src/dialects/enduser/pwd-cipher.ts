import { createCipheriv, createDecipheriv, createHash } from 'crypto';

export class PwdDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PwdDecryptionError';
  }
}

const ALGORITHM = 'aes-128-cbc';
const BLOCK_SIZE = 16;
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// ignoreBOM keeps a leading U+FEFF as part of the password instead of silently dropping it.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function deriveKeyAndIv(random: string): { key: Buffer; iv: Buffer } {
  const key = createHash('md5').update(random, 'utf8').digest('hex').toUpperCase().slice(8, 24);
  const iv = key.slice(8, 16) + key.slice(0, 8);
  return { key: Buffer.from(key, 'ascii'), iv: Buffer.from(iv, 'ascii') };
}

export function encryptPwd(plain: string, random: string): string {
  const { key, iv } = deriveKeyAndIv(random);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  return Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

export function decryptPwd(cipherTextBase64: string, random: string): string {
  if (cipherTextBase64.length === 0 || !STRICT_BASE64.test(cipherTextBase64)) {
    throw new PwdDecryptionError('Ciphertext is not valid Base64');
  }
  const cipherText = Buffer.from(cipherTextBase64, 'base64');
  if (cipherText.length % BLOCK_SIZE !== 0) {
    throw new PwdDecryptionError('Ciphertext length is not a multiple of the AES block size');
  }
  const { key, iv } = deriveKeyAndIv(random);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv);
    plain = Buffer.concat([decipher.update(cipherText), decipher.final()]);
  } catch {
    throw new PwdDecryptionError('Ciphertext could not be decrypted (bad padding)');
  }
  try {
    return utf8Decoder.decode(plain);
  } catch {
    throw new PwdDecryptionError('Decrypted password is not valid UTF-8');
  }
}
