import type { RateLimitTier } from '../db/schema.js';

export type AuthMethod = 'jwt' | 'api_key' | 'sigv4' | 'none';

/** Who is calling, after client authentication at the edge. */
export interface Consumer {
  method: AuthMethod;
  userId?: string;
  username?: string;
  roles: string[];
  /** Undefined means "whatever the roles allow" (users); keys carry explicit scopes. */
  scopes?: string[];
  apiKeyId?: string;
  accessKeyId?: string;
  tokenId?: string;
  tier: RateLimitTier;
  /** The original client's application, when the session was opened by one (ADR 0408). */
  application?: 'b2c' | 'b2b' | 'admin';
  /** Per-consumer limits overriding the tier (API keys carry their own). */
  limits?: { minute: number; hour: number; day: number };
}

export const ANONYMOUS: Consumer = { method: 'none', roles: [], tier: 'basic' };

/** Stable cache and limit identity: never the raw credential. */
export function consumerKey(consumer: Consumer): string {
  if (consumer.apiKeyId) return `key:${consumer.apiKeyId}`;
  if (consumer.accessKeyId) return `user:${consumer.userId}`;
  if (consumer.userId) return `user:${consumer.userId}`;
  return 'anonymous';
}
