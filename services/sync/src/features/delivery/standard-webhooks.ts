import { createHmac, randomBytes } from 'node:crypto';

/**
 * Outgoing webhooks follow the Standard Webhooks scheme (standardwebhooks.com), so any receiver
 * can verify them with an off-the-shelf library and refuse replays: the id is stable across
 * retries (receivers deduplicate on it) and the timestamp is the attempt's (receivers refuse
 * stale ones).
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A new secret in the scheme's format: `whsec_` and 24 random bytes in base64. */
export function newWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(24).toString('base64')}`;
}

/**
 * The HMAC key of a stored secret. A `whsec_…` secret is its base64 part decoded; a plain secret
 * (stored before the scheme, e.g. a callback registration's) is its UTF-8 bytes, which is the
 * same key a receiver gets from `whsec_` + base64(secret).
 */
export function webhookKey(secret: string): Buffer {
  return secret.startsWith(WEBHOOK_SECRET_PREFIX)
    ? Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64')
    : Buffer.from(secret, 'utf8');
}

export interface SignedWebhook {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The three headers for `body` (the exact bytes sent) at `timestampMs`. */
export function signWebhook(secret: string, id: string, timestampMs: number, body: string): SignedWebhook {
  const timestamp = String(Math.floor(timestampMs / 1000));
  const signature = createHmac('sha256', webhookKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}
