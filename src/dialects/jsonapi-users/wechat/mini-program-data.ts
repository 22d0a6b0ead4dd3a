import { createDecipheriv } from 'node:crypto';
import { DomainError } from '../../../error-codes/domain-error';
import { JsonApiUsersErrorCode } from '../jsonapi-users.error-map';

/** What `wx.getUserInfo` encrypts for the server, as unireg reads it. */
export interface MiniProgramUser {
  openId: string | null;
  unionId: string | null;
  nickName: string;
  /** 1 male, 2 female, 0 unknown. */
  gender: number;
  city: string;
  province: string;
  country: string;
  avatarUrl: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict Base64 of exactly `bytes` bytes (when given): Node's decoder would skip what is not Base64. */
function base64(value: string, bytes?: number): Buffer | null {
  if (value.length % 4 !== 0 || !BASE64.test(value)) {
    return null;
  }
  const decoded = Buffer.from(value, 'base64');
  return bytes === undefined || decoded.length === bytes ? decoded : null;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const id = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * Decrypts `encryptedData` (AES-128-CBC, PKCS#7, key the Base64 `session_key`, IV the Base64 `iv`) and checks
 * that WeChat made it for this mini program (`watermark.appid`):
 * https://developers.weixin.qq.com/miniprogram/dev/framework/open-ability/signature.html
 * Anything that does not decrypt to such a JSON object is WECHAT_DECRYPT_FAILED; another app's data is
 * WECHAT_WATERMARK_INVALID.
 */
export function decryptMiniProgramUser(sessionKey: string, iv: string, encryptedData: string, appId: string): MiniProgramUser {
  const failed = () => new DomainError(JsonApiUsersErrorCode.WECHAT_DECRYPT_FAILED);
  const key = base64(sessionKey, 16);
  const vector = base64(iv, 16);
  const sealed = base64(encryptedData);
  if (!key || !vector || !sealed || sealed.length === 0 || sealed.length % 16 !== 0) {
    throw failed();
  }
  let data: unknown;
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, vector);
    data = JSON.parse(Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8'));
  } catch {
    throw failed();
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw failed();
  }
  const user = data as Record<string, unknown>;
  const watermark = user.watermark as Record<string, unknown> | undefined;
  if (watermark === null || typeof watermark !== 'object' || watermark.appid !== appId) {
    throw new DomainError(JsonApiUsersErrorCode.WECHAT_WATERMARK_INVALID);
  }
  return {
    openId: id(user.openId),
    unionId: id(user.unionId),
    nickName: text(user.nickName),
    gender: typeof user.gender === 'number' && Number.isInteger(user.gender) ? user.gender : 0,
    city: text(user.city),
    province: text(user.province),
    country: text(user.country),
    avatarUrl: text(user.avatarUrl),
  };
}
