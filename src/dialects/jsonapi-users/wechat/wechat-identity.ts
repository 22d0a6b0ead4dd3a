import { DomainError } from '../../../error-codes/domain-error';
import { JsonApiUsersErrorCode } from '../jsonapi-users.error-map';
import { SessionTokenScope } from '../session-token.entity';
import { WECHAT_AVATAR_MAX_LENGTH, WECHAT_ID_MAX_LENGTH, WECHAT_NICKNAME_MAX_LENGTH, WECHAT_PLACE_MAX_LENGTH } from './user-wechat.entity';
import { WechatIdColumn } from './user-wechats.store';

/**
 * Where a WeChat user was met: the official account's web authorization (`mp_openid`), the PC QR login,
 * which runs that same authorization on the phone (`dev_openid`, session scope `wechatweb`), or the
 * mini program (`min_openid`).
 */
export type WechatChannel = 'offiaccount' | 'pc' | 'miniprogram';

/** A WeChat user as a sign-in proved it: its openid on the channel's app, its unionid, and its profile. */
export interface WechatIdentity {
  channel: WechatChannel;
  openid: string;
  unionid: string | null;
  nickname: string;
  sex: number;
  province: string;
  city: string;
  country: string;
  headimgurl: string;
}

export const CHANNEL_COLUMNS: Readonly<Record<WechatChannel, WechatIdColumn>> = {
  offiaccount: 'mpOpenid',
  pc: 'devOpenid',
  miniprogram: 'minOpenid',
};

/**
 * The session scopes that carry a WeChat user to a register or login (Discuz! Q's `Bind::withToken`): `wechat`
 * from the official account, `wechatweb` from the PC QR login.
 */
export const WECHAT_SCOPES: readonly SessionTokenScope[] = ['wechat', 'wechatweb'];

export const channelScope = (channel: WechatChannel): SessionTokenScope => (channel === 'pc' ? 'wechatweb' : 'wechat');

/**
 * The columns a channel's openid is looked up in. The official account and the PC QR login are one app in
 * unireg, so one openid may sit in either column; a mini program's openid is another app's.
 */
export function lookupIds(identity: WechatIdentity): (readonly [WechatIdColumn, string])[] {
  const columns: WechatIdColumn[] =
    identity.channel === 'miniprogram'
      ? ['minOpenid']
      : [CHANNEL_COLUMNS[identity.channel], identity.channel === 'pc' ? 'mpOpenid' : 'devOpenid'];
  return [
    ...columns.map((column) => [column, identity.openid] as const),
    ...(identity.unionid ? [['unionid', identity.unionid] as const] : []),
  ];
}

// A lone surrogate is no text: a MySQL column would keep it as U+FFFD.
const clip = (value: string, max: number) => [...value.replace(/\p{Cs}/gu, '')].slice(0, max).join('');
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * A WeChat user from what WeChat (or a session token carrying it) said: ids it could not have issued are
 * refused as WeChat failing, the profile is cut to what the table keeps, and an avatar is kept only when it
 * is an http(s) URL that fits.
 */
export function wechatIdentity(channel: WechatChannel, fields: Readonly<Record<string, unknown>>): WechatIdentity {
  const openid = text(fields.openid);
  const unionid = text(fields.unionid);
  const wellFormed = (value: string) => value.length <= WECHAT_ID_MAX_LENGTH && /^[A-Za-z0-9_-]+$/.test(value);
  if (!wellFormed(openid) || (unionid !== '' && !wellFormed(unionid))) {
    throw new DomainError(JsonApiUsersErrorCode.WECHAT_UNAVAILABLE, { reason: 'WeChat answered an openid or unionid of an unknown form' });
  }
  const avatar = text(fields.headimgurl);
  return {
    channel,
    openid,
    unionid: unionid === '' ? null : unionid,
    nickname: clip(text(fields.nickname), WECHAT_NICKNAME_MAX_LENGTH),
    sex: fields.sex === 1 || fields.sex === 2 ? fields.sex : 0,
    province: clip(text(fields.province), WECHAT_PLACE_MAX_LENGTH),
    city: clip(text(fields.city), WECHAT_PLACE_MAX_LENGTH),
    country: clip(text(fields.country), WECHAT_PLACE_MAX_LENGTH),
    headimgurl: /^https?:\/\//i.test(avatar) && avatar.length <= WECHAT_AVATAR_MAX_LENGTH ? avatar : '',
  };
}

/** What a session token keeps of a WeChat user: the identity without its channel, which the token's scope names. */
export function identityPayload(identity: WechatIdentity): Record<string, unknown> {
  return {
    openid: identity.openid,
    unionid: identity.unionid,
    nickname: identity.nickname,
    sex: identity.sex,
    province: identity.province,
    city: identity.city,
    country: identity.country,
    headimgurl: identity.headimgurl,
  };
}
