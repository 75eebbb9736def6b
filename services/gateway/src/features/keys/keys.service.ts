import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { type Clock, type Logger } from '@tributary/platform/core';
import { verifySigV4, type CredentialRecord, type IncomingRequest } from '@tributary/platform/auth';
import { sha256Hex, type SecretBox } from '../../crypto.js';
import type { RateLimitTier } from '../../db/schema.js';
import type { Consumer } from '../../edge/consumer.js';
import { GatewayError } from '../../errors.js';
import type { VersionedCache, VersionSource } from '../../shared/versions.js';
import { TIER_LIMITS } from '../limits/tiers.js';
import type { UsersRepository } from '../auth/users.repository.js';
import type { ApiKeyChanges, KeysRepository } from './keys.repository.js';
import { ipAllowed, parseAllowlist, validateScopes } from './scopes.js';
import { domainAllowed, parseDomainAllowlist } from './domains.js';

export const API_KEY_PREFIX = 'trk_';
const API_KEY_FORMAT = /^trk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

interface CachedApiKey {
  hash: Buffer;
  active: boolean;
  expiresAt: number | null;
  ranges: ReturnType<typeof parseAllowlist> | null;
  domains: string[] | null;
  consumer: Consumer;
}

interface CachedAccessKey {
  record: CredentialRecord | undefined;
  active: boolean;
  consumer?: Consumer;
}

export interface KeysDeps {
  keys: KeysRepository;
  users: UsersRepository;
  box: SecretBox;
  versions: VersionSource;
  cache: VersionedCache<unknown>;
  clock: Clock;
  logger: Logger;
  sigv4: { region: string; service: string };
}

function uuidFromHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class KeysService {
  private usage = new Map<string, { total: number; ok: number; failed: number; last: number }>();

  constructor(private readonly deps: KeysDeps) {}

  async createApiKey(input: {
    userId: string;
    name: string;
    description?: string | null;
    serviceName?: string | null;
    scopes: string[];
    ipAllowlist?: string[] | null;
    domainAllowlist?: string[] | null;
    tier?: RateLimitTier;
    expiresAt?: string | null;
    createdBy: string;
  }) {
    const scopes = validateScopes(input.scopes);
    if (input.ipAllowlist) parseAllowlist(input.ipAllowlist);
    if (!(await this.deps.users.findById(input.userId))) throw GatewayError.USER_NOT_FOUND(`No user ${input.userId}`);
    const keyId = randomUUID();
    const key = `${API_KEY_PREFIX}${keyId.replace(/-/g, '')}_${randomBytes(32).toString('base64url')}`;
    const tier = input.tier ?? 'standard';
    const row = await this.deps.keys.insertApiKey({
      keyId,
      hash: sha256Hex(key),
      name: input.name,
      description: input.description ?? null,
      prefix: API_KEY_PREFIX,
      userId: input.userId,
      serviceName: input.serviceName ?? null,
      scopes,
      ipAllowlist: input.ipAllowlist ?? null,
      domainAllowlist: input.domainAllowlist ? parseDomainAllowlist(input.domainAllowlist) : null,
      tier,
      limits: TIER_LIMITS[tier],
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      createdBy: input.createdBy,
    });
    return { key, row };
  }

  async updateApiKey(keyId: string, changes: ApiKeyChanges & { expiresAt?: string | null }, by: string) {
    if (changes.scopes) changes.scopes = validateScopes(changes.scopes);
    if (changes.ipAllowlist) parseAllowlist(changes.ipAllowlist);
    const row = await this.deps.keys.updateApiKey(
      keyId,
      {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.scopes !== undefined ? { scopes: changes.scopes } : {}),
        ...(changes.ipAllowlist !== undefined ? { ipAllowlist: changes.ipAllowlist } : {}),
        ...(changes.domainAllowlist !== undefined
          ? { domainAllowlist: changes.domainAllowlist ? parseDomainAllowlist(changes.domainAllowlist) : null }
          : {}),
        ...(changes.tier !== undefined ? { tier: changes.tier, limits: TIER_LIMITS[changes.tier] } : {}),
        ...(changes.expiresAt !== undefined ? { expiresAt: changes.expiresAt === null ? null : new Date(changes.expiresAt) } : {}),
      },
      by,
      new Date(this.deps.clock.now()),
    );
    if (!row) throw GatewayError.KEY_NOT_FOUND(`No API key ${keyId}`);
    await this.deps.versions.bump('auth');
    return row;
  }

  /**
   * A new key with the old one's owner, name, scopes, allowlists and tier; the old key keeps
   * working for the grace period (never longer than it already would), so clients switch over
   * without a moment where neither works.
   */
  async rotateApiKey(keyId: string, graceSeconds: number, by: string) {
    const old = await this.deps.keys.findApiKey(keyId);
    if (!old || !old.is_active) throw GatewayError.KEY_NOT_FOUND(`No active API key ${keyId}`);
    const fresh = await this.createApiKey({
      userId: old.user_id,
      name: old.key_name,
      description: old.key_description,
      serviceName: old.service_name,
      scopes: old.permissions,
      ipAllowlist: old.ip_whitelist,
      domainAllowlist: old.domain_whitelist,
      tier: old.rate_limit_tier,
      expiresAt: old.expires_at ? new Date(old.expires_at).toISOString() : null,
      createdBy: by,
    });
    const graceEnd = this.deps.clock.now() + graceSeconds * 1000;
    const oldExpiry = old.expires_at ? new Date(old.expires_at).getTime() : Infinity;
    const oldExpiresAt = new Date(Math.min(graceEnd, oldExpiry));
    await this.deps.keys.updateApiKey(keyId, { expiresAt: oldExpiresAt }, by, new Date(this.deps.clock.now()));
    await this.deps.versions.bump('auth');
    return { ...fresh, previous: { keyId, expiresAt: oldExpiresAt.toISOString() } };
  }

  async revokeApiKey(keyId: string, by: string): Promise<void> {
    if (!(await this.deps.keys.deactivateApiKey(keyId, by, new Date(this.deps.clock.now()))))
      throw GatewayError.KEY_NOT_FOUND(`No API key ${keyId}`);
    await this.deps.versions.bump('auth');
  }

  async authenticateApiKey(
    raw: string,
    ip: string,
    arrivedAt?: number,
    browser: { origin?: string; referer?: string } = {},
  ): Promise<Consumer> {
    const match = API_KEY_FORMAT.exec(raw);
    if (!match) throw GatewayError.API_KEY_INVALID('API key is not valid');
    const keyId = uuidFromHex(match[1]!);
    const version = await this.deps.cache.sync(arrivedAt);
    let entry = this.deps.cache.get(`key:${keyId}`) as CachedApiKey | null | undefined;
    if (entry === undefined) {
      const row = await this.deps.keys.findApiKey(keyId);
      entry = row
        ? {
            hash: Buffer.from(row.api_key_hash, 'hex'),
            active: row.is_active && row.owner_active,
            expiresAt: row.expires_at ? new Date(row.expires_at).getTime() : null,
            ranges: row.ip_whitelist && row.ip_whitelist.length > 0 ? parseAllowlist(row.ip_whitelist) : null,
            domains: row.domain_whitelist && row.domain_whitelist.length > 0 ? row.domain_whitelist : null,
            consumer: {
              method: 'api_key',
              userId: row.user_id,
              roles: [row.owner_role],
              scopes: row.permissions,
              apiKeyId: row.key_id,
              tier: row.rate_limit_tier,
              limits: { minute: row.requests_per_minute, hour: row.requests_per_hour, day: row.requests_per_day },
            },
          }
        : null;
      this.deps.cache.set(`key:${keyId}`, entry, version);
    }
    const presented = Buffer.from(sha256Hex(raw), 'hex');
    if (!entry || entry.hash.length !== presented.length || !timingSafeEqual(entry.hash, presented) || !entry.active) {
      throw GatewayError.API_KEY_INVALID('API key is not valid');
    }
    if (entry.expiresAt !== null && entry.expiresAt <= this.deps.clock.now()) throw GatewayError.API_KEY_EXPIRED('API key has expired');
    if (entry.ranges && !ipAllowed(ip, entry.ranges)) {
      throw GatewayError.API_KEY_IP_NOT_ALLOWED('API key may not be used from this address', { details: { ip } });
    }
    if (entry.domains && !domainAllowed(entry.domains, browser.origin, browser.referer))
      throw GatewayError.API_KEY_DOMAIN_NOT_ALLOWED('API key may not be used from this site');
    return entry.consumer;
  }

  recordUsage(keyId: string, ok: boolean, at: number): void {
    const counter = this.usage.get(keyId) ?? { total: 0, ok: 0, failed: 0, last: at };
    counter.total++;
    if (ok) counter.ok++;
    else counter.failed++;
    counter.last = Math.max(counter.last, at);
    this.usage.set(keyId, counter);
  }

  async flushUsage(): Promise<void> {
    const batch = this.usage;
    this.usage = new Map();
    for (const [keyId, counter] of batch) {
      try {
        await this.deps.keys.addUsage(keyId, counter.total, counter.ok, counter.failed, new Date(counter.last));
      } catch (error) {
        this.deps.logger.warn({ err: error, keyId }, 'API key usage flush failed');
      }
    }
  }

  /** SigV4 client credentials; temporary ones (with ttlSeconds) carry a session token. */
  async createAccessKey(input: {
    userId: string;
    scopes?: string[] | null;
    ttlSeconds?: number;
    description?: string | null;
    createdBy: string;
  }) {
    const scopes = input.scopes ? validateScopes(input.scopes) : null;
    if (!(await this.deps.users.findById(input.userId))) throw GatewayError.USER_NOT_FOUND(`No user ${input.userId}`);
    const temporary = input.ttlSeconds !== undefined;
    const accessKeyId = `${temporary ? 'TRBT' : 'TRBK'}${randomBytes(8).toString('hex').toUpperCase()}`;
    const secretAccessKey = randomBytes(30).toString('base64url');
    const sessionToken = temporary ? randomBytes(48).toString('base64url') : undefined;
    const expiresAt = temporary ? new Date(this.deps.clock.now() + input.ttlSeconds! * 1000) : null;
    await this.deps.keys.insertAccessKey({
      accessKeyId,
      userId: input.userId,
      secretCiphertext: this.deps.box.seal(secretAccessKey),
      sessionTokenCiphertext: sessionToken ? this.deps.box.seal(sessionToken) : null,
      scopes,
      description: input.description ?? null,
      expiresAt,
      createdBy: input.createdBy,
    });
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}), expiresAt: expiresAt?.toISOString() ?? null, scopes };
  }

  /**
   * Issues a new key for the same user and scopes and lets the old one live for a grace
   * period, so clients switch over without a moment where neither works.
   */
  async rotateAccessKey(accessKeyId: string, graceSeconds: number, by: string) {
    const old = await this.deps.keys.findAccessKey(accessKeyId);
    if (!old || !old.is_active) throw GatewayError.KEY_NOT_FOUND(`No active access key ${accessKeyId}`);
    const fresh = await this.createAccessKey({ userId: old.user_id, scopes: old.scopes, description: old.description, createdBy: by });
    const oldExpiresAt = new Date(this.deps.clock.now() + graceSeconds * 1000);
    await this.deps.keys.expireAccessKey(accessKeyId, oldExpiresAt);
    await this.deps.versions.bump('auth');
    return { ...fresh, previous: { accessKeyId, expiresAt: oldExpiresAt.toISOString() } };
  }

  async revokeAccessKey(accessKeyId: string): Promise<void> {
    if (!(await this.deps.keys.deactivateAccessKey(accessKeyId))) throw GatewayError.KEY_NOT_FOUND(`No access key ${accessKeyId}`);
    await this.deps.versions.bump('auth');
  }

  private async loadAccessKey(accessKeyId: string, version: string): Promise<CachedAccessKey> {
    const cacheKey = `ak:${accessKeyId}`;
    const cached = this.deps.cache.get(cacheKey) as CachedAccessKey | undefined;
    if (cached) return cached;
    const row = await this.deps.keys.findAccessKey(accessKeyId);
    const entry: CachedAccessKey = row
      ? {
          active: row.is_active && row.owner_active,
          record: {
            secretAccessKey: this.deps.box.open(row.secret_ciphertext),
            principal: row.user_id,
            ...(row.session_token_ciphertext ? { sessionToken: this.deps.box.open(row.session_token_ciphertext) } : {}),
            ...(row.expires_at ? { expiresAt: new Date(row.expires_at).getTime() } : {}),
          },
          consumer: {
            method: 'sigv4',
            userId: row.user_id,
            username: row.owner_username,
            roles: [row.owner_role],
            ...(row.scopes ? { scopes: row.scopes } : {}),
            accessKeyId,
            tier: row.owner_tier,
          },
        }
      : { active: false, record: undefined };
    this.deps.cache.set(cacheKey, entry, version);
    return entry;
  }

  /** Verifies a client's SigV4 signature (header or presigned) with the kernel verifier. */
  async authenticateSigV4(request: IncomingRequest, arrivedAt?: number): Promise<Consumer> {
    const version = await this.deps.cache.sync(arrivedAt);
    let consumer: Consumer | undefined;
    await verifySigV4(request, {
      ...this.deps.sigv4,
      now: () => this.deps.clock.now(),
      // Clients' own x-tributary-* headers are stripped before forwarding, so they need not be signed.
      identityHeaderPrefix: 'x-tributary-client-only-',
      lookup: async (id) => {
        const entry = await this.loadAccessKey(id, version);
        if (!entry.active || !entry.record) return undefined;
        consumer = entry.consumer;
        return entry.record;
      },
    });
    if (!consumer) throw GatewayError.ACCESS_KEY_INVALID('Access key is not valid');
    return consumer;
  }
}
