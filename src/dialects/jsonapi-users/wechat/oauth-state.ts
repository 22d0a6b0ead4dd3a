import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a browser may take between leaving for WeChat and coming back. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

/** `exp` (12 hex digits of epoch ms), a 64-bit nonce and a 128-bit HMAC: only letters and digits, as WeChat asks of `state`. */
const STATE = /^([0-9a-f]{12})([0-9a-f]{16})([0-9a-f]{32})$/;

/**
 * The OAuth `state`: unforgeable (an HMAC under a key derived from JWT_SECRET), expiring, and bound to the
 * flow that asked for it: the client session that started it (its `sessionId`) or the PC QR login it
 * completes. Nothing is stored; WeChat's code is single use, so a state cannot be played twice to any end.
 */
export class OauthStates {
  private readonly key: Buffer;

  constructor(jwtSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', jwtSecret, 'unireg', 'wechat oauth state v1', 32));
  }

  issue(siteId: number, flow: string, now: number): string {
    const expires = (now + OAUTH_STATE_TTL_MS).toString(16).padStart(12, '0');
    const nonce = randomBytes(8).toString('hex');
    return `${expires}${nonce}${this.mac(siteId, flow, expires, nonce)}`;
  }

  /** Whether `state` was issued for this site and flow and has not expired. */
  verify(state: string, siteId: number, flow: string, now: number): boolean {
    const [, expires, nonce, mac] = STATE.exec(state) ?? [];
    if (!expires || parseInt(expires, 16) <= now) {
      return false;
    }
    return timingSafeEqual(Buffer.from(mac, 'hex'), Buffer.from(this.mac(siteId, flow, expires, nonce), 'hex'));
  }

  private mac(siteId: number, flow: string, expires: string, nonce: string): string {
    return createHmac('sha256', this.key)
      .update(JSON.stringify([siteId, flow, expires, nonce]))
      .digest('hex')
      .slice(0, 32);
  }
}
