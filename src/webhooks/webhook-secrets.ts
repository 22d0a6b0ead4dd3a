import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new endpoint secret: `whsec_` and 32 random bytes in Base64, as the Standard Webhooks libraries read it. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The `webhook-signature` header: one `v1,<base64>` per secret, space-separated, the newest first, so that a
 * receiver verifies with either its old or its new secret during a rotation.
 */
export function signatures(secrets: readonly string[], messageId: string, signedAt: Date, payload: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(messageId, signedAt, payload)).join(' ');
}
