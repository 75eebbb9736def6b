import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 hex of the raw body; `sha256=` prefix optional; compared in constant time. */
export function verifyWebhookSignature(rawBody: Buffer, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const given = header
    .trim()
    .replace(/^sha256=/i, '')
    .toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(given, 'hex'), expected);
}

export function signWebhookBody(rawBody: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}
