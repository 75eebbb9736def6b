import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import type { Kysely } from 'kysely';
import { prefixedId, type Clock, type Logger } from '@tributary/platform/core';
import type { SecretBox } from '../../crypto.js';
import type { GatewayDatabase } from '../../db/schema.js';

const ALGORITHM = 'ES256';
/** An unknown kid triggers at most one reload per this interval, so junk tokens cannot hammer the DB. */
const RELOAD_COOLDOWN_MS = 5_000;

interface LoadedKey {
  kid: string;
  publicJwk: JWK;
  publicKey: CryptoKey | Uint8Array;
  privateKey: CryptoKey | Uint8Array;
  createdAt: number;
  retiredAt: number | null;
  expiresAt: number | null;
}

export interface TokenOptions {
  issuer: string;
  audience: string;
}

/**
 * ES256 signing keys shared by every replica through the database. The newest unretired key
 * signs; retired keys stay in the JWKS (and keep verifying) until the tokens they signed
 * have expired, so rotation never invalidates a live session.
 */
export class SigningKeys {
  private keys = new Map<string, LoadedKey>();
  private lastReload = 0;

  constructor(
    private readonly db: Kysely<GatewayDatabase>,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly options: TokenOptions & { accessTtlSeconds: number },
    private readonly logger: Logger,
  ) {}

  async init(): Promise<void> {
    await this.reload();
    if (!this.signingKey()) await this.rotate();
  }

  async reload(): Promise<void> {
    this.lastReload = this.clock.now();
    const rows = await this.db.selectFrom('jwt_signing_keys').selectAll().execute();
    const next = new Map<string, LoadedKey>();
    for (const row of rows) {
      const existing = this.keys.get(row.kid);
      const retiredAt = row.retired_at ? new Date(row.retired_at).getTime() : null;
      const expiresAt = row.expires_at ? new Date(row.expires_at).getTime() : null;
      if (existing) {
        next.set(row.kid, { ...existing, retiredAt, expiresAt });
        continue;
      }
      const publicJwk = row.public_jwk as JWK;
      const privateJwk = JSON.parse(this.box.open(row.private_jwk_ciphertext)) as JWK;
      next.set(row.kid, {
        kid: row.kid,
        publicJwk,
        publicKey: await importJWK(publicJwk, ALGORITHM),
        privateKey: await importJWK(privateJwk, ALGORITHM),
        createdAt: new Date(row.created_at).getTime(),
        retiredAt,
        expiresAt,
      });
    }
    this.keys = next;
  }

  /** Adds a new signing key and retires the others; returns the new kid. */
  async rotate(): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    const kid = prefixedId('kid');
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALGORITHM, use: 'sig' };
    const privateJwk = await exportJWK(privateKey);
    const now = this.clock.now();
    // Old keys verify for one more access-token lifetime (plus a minute of clock skew), then leave the JWKS.
    const expiresAt = new Date(now + this.options.accessTtlSeconds * 1000 + 60_000);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('jwt_signing_keys')
        .set({ retired_at: new Date(now), expires_at: expiresAt })
        .where('retired_at', 'is', null)
        .execute();
      await trx
        .insertInto('jwt_signing_keys')
        .values({
          kid,
          algorithm: ALGORITHM,
          public_jwk: JSON.stringify(publicJwk),
          private_jwk_ciphertext: this.box.seal(JSON.stringify(privateJwk)),
          created_at: new Date(now),
          retired_at: null,
          expires_at: null,
        })
        .execute();
    });
    this.logger.info({ kid }, 'JWT signing key rotated');
    await this.reload();
    return kid;
  }

  /** Read from the database each time: clients cache it, and every replica must publish the same set. */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.reload();
    const now = this.clock.now();
    return { keys: [...this.keys.values()].filter((key) => key.expiresAt === null || key.expiresAt > now).map((key) => key.publicJwk) };
  }

  private signingKey(): LoadedKey | undefined {
    let newest: LoadedKey | undefined;
    for (const key of this.keys.values()) {
      if (key.retiredAt !== null) continue;
      if (!newest || key.createdAt > newest.createdAt) newest = key;
    }
    return newest;
  }

  async sign(claims: JWTPayload & { sub: string; jti: string }, ttlSeconds: number): Promise<string> {
    let key = this.signingKey();
    if (!key) {
      await this.reload();
      key = this.signingKey();
      if (!key) throw new Error('no JWT signing key available');
    }
    const now = Math.floor(this.clock.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt(now)
      .setNotBefore(now - 1)
      .setExpirationTime(now + ttlSeconds)
      .sign(key.privateKey);
  }

  /** Throws jose errors on a bad token; the caller maps them. */
  async verify(token: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        const kid = header.kid ?? '';
        let key = this.keys.get(kid);
        if (!key && this.clock.now() - this.lastReload > RELOAD_COOLDOWN_MS) {
          await this.reload();
          key = this.keys.get(kid);
        }
        if (!key || (key.expiresAt !== null && key.expiresAt <= this.clock.now())) throw new Error('unknown or expired signing key');
        return key.publicKey;
      },
      { issuer: this.options.issuer, audience: this.options.audience, algorithms: [ALGORITHM], currentDate: new Date(this.clock.now()) },
    );
    return payload;
  }
}
