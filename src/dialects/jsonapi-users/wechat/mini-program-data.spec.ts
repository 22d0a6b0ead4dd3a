import { createCipheriv, randomBytes } from 'node:crypto';
import { DomainError } from '../../../error-codes/domain-error';
import { JsonApiUsersErrorCode } from '../jsonapi-users.error-map';
import { decryptMiniProgramUser } from './mini-program-data';

const APP_ID = 'wx0123456789abcdef';

/** What WeChat does to a profile: AES-128-CBC with PKCS#7 under the session key, everything Base64. */
function seal(data: unknown, key = randomBytes(16), iv = randomBytes(16)) {
  const cipher = createCipheriv('aes-128-cbc', key, iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
  return { sessionKey: key.toString('base64'), iv: iv.toString('base64'), encryptedData: sealed.toString('base64') };
}

const codeOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return (error as DomainError).code;
  }
  return undefined;
};

describe('decryptMiniProgramUser', () => {
  const profile = {
    openId: 'oGZUI0egBJY1zhBYw2KhdUfwVJJE',
    nickName: 'Band',
    gender: 1,
    language: 'zh_CN',
    city: 'Guangzhou',
    province: 'Guangdong',
    country: 'CN',
    avatarUrl:
      'http://wx.qlogo.cn/mmopen/vi_32/aSKcBBPpibyKNicHNTMM0qJVh8Kjgiak2AHWr8MHM4WgMEm7GFhsf8OYrySdbvAMvTsw3mo8ibKicsnfN5pRjl1p8HQ/0',
    unionId: 'ocMvos6NjeKLIBqg5Mr9QjxrP1FA',
    watermark: { timestamp: 1477314187, appid: APP_ID },
  };

  it('reads the profile WeChat encrypted for this mini program', () => {
    const { sessionKey, iv, encryptedData } = seal(profile);
    expect(decryptMiniProgramUser(sessionKey, iv, encryptedData, APP_ID)).toEqual({
      openId: profile.openId,
      unionId: profile.unionId,
      nickName: 'Band',
      gender: 1,
      city: 'Guangzhou',
      province: 'Guangdong',
      country: 'CN',
      avatarUrl: profile.avatarUrl,
    });
  });

  it("refuses another mini program's data, and data without a watermark", () => {
    const other = seal({ ...profile, watermark: { appid: 'wxffffffffffffffff' } });
    expect(codeOf(() => decryptMiniProgramUser(other.sessionKey, other.iv, other.encryptedData, APP_ID))).toBe(
      JsonApiUsersErrorCode.WECHAT_WATERMARK_INVALID,
    );
    const bare = seal({ openId: 'o1' });
    expect(codeOf(() => decryptMiniProgramUser(bare.sessionKey, bare.iv, bare.encryptedData, APP_ID))).toBe(
      JsonApiUsersErrorCode.WECHAT_WATERMARK_INVALID,
    );
  });

  it.each([
    ['another session key', (s: ReturnType<typeof seal>) => ({ ...s, sessionKey: randomBytes(16).toString('base64') })],
    ['a key of 24 bytes', (s: ReturnType<typeof seal>) => ({ ...s, sessionKey: randomBytes(24).toString('base64') })],
    ['an IV of 8 bytes', (s: ReturnType<typeof seal>) => ({ ...s, iv: randomBytes(8).toString('base64') })],
    ['data cut short', (s: ReturnType<typeof seal>) => ({ ...s, encryptedData: s.encryptedData.slice(0, -8) })],
    ['data that is not Base64', (s: ReturnType<typeof seal>) => ({ ...s, encryptedData: `${s.encryptedData.slice(0, -4)}!!!!` })],
    ['no data', (s: ReturnType<typeof seal>) => ({ ...s, encryptedData: '' })],
  ])('refuses %s as undecryptable', (_case, spoil) => {
    const { sessionKey, iv, encryptedData } = spoil(seal(profile));
    expect(codeOf(() => decryptMiniProgramUser(sessionKey, iv, encryptedData, APP_ID))).toBe(JsonApiUsersErrorCode.WECHAT_DECRYPT_FAILED);
  });

  it('refuses what decrypts to something other than a JSON object', () => {
    for (const data of [[1, 2], 'text', null]) {
      const { sessionKey, iv, encryptedData } = seal(data);
      expect(codeOf(() => decryptMiniProgramUser(sessionKey, iv, encryptedData, APP_ID))).toBe(JsonApiUsersErrorCode.WECHAT_DECRYPT_FAILED);
    }
  });
});
