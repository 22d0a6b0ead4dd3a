import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../error-codes/domain-error';
import { SecretBoxService } from '../../../users/secret-box.service';
import { JsonApiUsersErrorCode } from '../jsonapi-users.error-map';
import { WechatAppCredentials } from './wechat-api.client';

/** A WeChat app of the site as its settings keep it: the AppSecret sealed (SecretBoxService), never shown. */
export interface WechatAppSetting {
  appId: string;
  secretSealed: string;
}

/** The site's two WeChat apps: the official account (web and PC QR sign-in) and the mini program. */
export type WechatAppKind = 'offiaccount' | 'miniprogram';

/** WeChat's AppIDs are `wx` and 16 hexadecimal digits, its AppSecrets 32; letters of either case are let through. */
export const WECHAT_APP_ID = /^wx[0-9A-Za-z]{16}$/;
export const WECHAT_APP_SECRET = /^[0-9A-Za-z]{32}$/;

/** The stored app, or null when none is (or a hand-edited value is broken). */
export function wechatAppSetting(value: unknown): WechatAppSetting | null {
  const app = value as Partial<WechatAppSetting> | null | undefined;
  return app && typeof app === 'object' && typeof app.appId === 'string' && typeof app.secretSealed === 'string'
    ? { appId: app.appId, secretSealed: app.secretSealed }
    : null;
}

/** Seals an app's secret for the settings, and opens it again for a call to WeChat. */
@Injectable()
export class WechatAppsService {
  constructor(private readonly box: SecretBoxService) {}

  /** The setting to store; throws with what is wrong (for `site set`) when the AppID or AppSecret is malformed. */
  seal(kind: WechatAppKind, appId: string, secret: string): WechatAppSetting {
    if (!WECHAT_APP_ID.test(appId)) {
      throw new Error(`--${kind}-app-id must be a WeChat AppID: wx and 16 letters or digits`);
    }
    if (!WECHAT_APP_SECRET.test(secret)) {
      throw new Error(`--${kind}-app-secret must be a WeChat AppSecret: 32 letters or digits`);
    }
    return { appId, secretSealed: this.box.seal(secret) };
  }

  /**
   * The app with its secret, or WECHAT_NOT_CONFIGURED when the site has none, or sealed it under another
   * JWT_SECRET (then `site set` must be given the secret again).
   */
  credentials(setting: WechatAppSetting | null): WechatAppCredentials {
    const secret = setting ? this.box.open(setting.secretSealed) : null;
    if (!setting || secret === null) {
      throw new DomainError(
        JsonApiUsersErrorCode.WECHAT_NOT_CONFIGURED,
        setting ? { reason: 'the AppSecret was sealed under another JWT_SECRET' } : {},
      );
    }
    return { appId: setting.appId, secret };
  }
}
