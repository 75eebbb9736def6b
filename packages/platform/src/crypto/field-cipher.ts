import { createHmac, hkdfSync } from 'node:crypto';
import { open, seal } from './aead.js';
import { cryptoFailure, CryptoError } from './errors.js';
import { formatCiphertext, parseCiphertext } from './format.js';
import { asTables, type AnyKysely } from '../db/schema.js';
import type { FieldKeyTables } from './key-table.js';
import { FieldKeyStore, INDEX_KEY_ID, newDataKeyId, unwrapKey } from './key-store.js';
import type { MasterKeys } from './master-keys.js';

/** Where a value lives: part of the associated data, so a ciphertext copied elsewhere does not decrypt. */
export interface FieldRef {
  table: string;
  column: string;
}

export interface FieldCipherOptions {
  db: AnyKysely;
  masterKeys: MasterKeys;
  /**
   * How long a process trusts its idea of the active data key before asking the database
   * again, so a rotation done by another process reaches every writer within this time.
   */
  activeKeyTtlMs?: number;
  now?: () => number;
}

/** Lower-cased, trimmed, NFKC: `A@X.com ` and `a@x.com` index alike. */
export function normaliseForIndex(value: string): string {
  return value.normalize('NFKC').trim().toLowerCase();
}

function aadOf(keyId: string, field: FieldRef): string {
  return `tributary:field:v1:${keyId}:${field.table}.${field.column}`;
}

/**
 * Field-level encryption with envelope keys. Values are sealed with AES-256-GCM under the
 * service's active data key; the data keys live in the service's own database wrapped by a
 * master key from configuration. Keys are fetched lazily and cached unwrapped in memory only.
 */
export class FieldCipher {
  readonly store: FieldKeyStore;
  private readonly keys = new Map<string, Buffer>();
  private readonly columnIndexKeys = new Map<string, Buffer>();
  private activeKeyId: string | undefined;
  private activeCheckedAt = -Infinity;
  private indexRoot: Buffer | undefined;
  private loading: Promise<void> | undefined;
  private readonly masterKeys: MasterKeys;
  private readonly ttl: number;
  private readonly now: () => number;

  constructor(options: FieldCipherOptions) {
    this.store = new FieldKeyStore(asTables<FieldKeyTables>(options.db), options.masterKeys);
    this.masterKeys = options.masterKeys;
    this.ttl = options.activeKeyTtlMs ?? 5000;
    this.now = options.now ?? Date.now;
  }

  async encrypt(plaintext: string, field: FieldRef): Promise<string> {
    const keyId = await this.activeDataKeyId();
    const key = await this.dataKey(keyId);
    return formatCiphertext(keyId, seal(key, Buffer.from(plaintext, 'utf8'), aadOf(keyId, field)));
  }

  async decrypt(value: string, field: FieldRef): Promise<string> {
    const parsed = parseCiphertext(value);
    if (!parsed) throw cryptoFailure(CryptoError.Malformed, `${field.table}.${field.column} holds a value that is not a ciphertext`);
    const key = await this.dataKey(parsed.keyId);
    const plain = open(key, parsed.sealed, aadOf(parsed.keyId, field));
    if (!plain)
      throw cryptoFailure(
        CryptoError.Unauthentic,
        `${field.table}.${field.column}: a value does not authenticate under data key ${parsed.keyId}`,
      );
    return plain.toString('utf8');
  }

  async encryptNullable(plaintext: string | null | undefined, field: FieldRef): Promise<string | null> {
    return plaintext === null || plaintext === undefined ? null : this.encrypt(plaintext, field);
  }

  async decryptNullable(value: string | null | undefined, field: FieldRef): Promise<string | null> {
    return value === null || value === undefined ? null : this.decrypt(value, field);
  }

  /**
   * A keyed blind index for equality lookups: HMAC-SHA256 of the normalised value under a key
   * derived per column from the index root key (not from any data key, so it survives data
   * key rotation). 64 hex characters.
   */
  async blindIndex(plaintext: string, field: FieldRef, normalise: (value: string) => string = normaliseForIndex): Promise<string> {
    const key = await this.columnIndexKey(field);
    return createHmac('sha256', key).update(normalise(plaintext), 'utf8').digest('hex');
  }

  /**
   * Makes sure the active data key and the blind-index key exist. Services call it at start-up,
   * so keys are never created as a side effect of a request (a refused one included).
   */
  async prepare(): Promise<void> {
    await this.activeDataKeyId();
    await this.indexRootKey();
  }

  /** The data key new values are written under (re-read from the database every `activeKeyTtlMs`). */
  async activeDataKeyId(): Promise<string> {
    if (this.activeKeyId === undefined || this.now() - this.activeCheckedAt >= this.ttl) await this.refresh();
    return this.activeKeyId!;
  }

  /** Forgets the cached choice of active key and reads it again (after a rotation in this process). */
  async refresh(): Promise<void> {
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    await this.loading;
  }

  private async load(): Promise<void> {
    let active = await this.store.active('data');
    if (!active) {
      let failure: unknown;
      try {
        active = await this.store.create('data', newDataKeyId(), this.now(), false);
      } catch (error) {
        // Another process may have made one at the same moment: use it.
        failure = error;
        active = await this.store.active('data');
      }
      if (!active) throw cryptoFailure(CryptoError.UnknownKey, 'no active data key could be created', failure);
    }
    if (!this.keys.has(active.key_id)) this.keys.set(active.key_id, unwrapKey(this.masterKeys, active));
    this.activeKeyId = active.key_id;
    this.activeCheckedAt = this.now();
  }

  private async dataKey(keyId: string): Promise<Buffer> {
    const cached = this.keys.get(keyId);
    if (cached) return cached;
    const row = await this.store.find(keyId);
    if (!row || row.purpose !== 'data') throw cryptoFailure(CryptoError.UnknownKey, `data key ${keyId} is not in this database`);
    const key = unwrapKey(this.masterKeys, row);
    this.keys.set(keyId, key);
    return key;
  }

  private async columnIndexKey(field: FieldRef): Promise<Buffer> {
    const name = `${field.table}.${field.column}`;
    const cached = this.columnIndexKeys.get(name);
    if (cached) return cached;
    const root = await this.indexRootKey();
    const derived = Buffer.from(hkdfSync('sha256', root, 'tributary-blind-index-v1', name, 32));
    this.columnIndexKeys.set(name, derived);
    return derived;
  }

  private async indexRootKey(): Promise<Buffer> {
    if (this.indexRoot) return this.indexRoot;
    let row = await this.store.find(INDEX_KEY_ID);
    if (!row) {
      let failure: unknown;
      try {
        row = await this.store.create('index', INDEX_KEY_ID, this.now(), false);
      } catch (error) {
        // Another process made it first: use theirs.
        failure = error;
        row = await this.store.find(INDEX_KEY_ID);
      }
      if (!row) throw cryptoFailure(CryptoError.UnknownKey, 'the blind-index key could not be created', failure);
    }
    this.indexRoot = unwrapKey(this.masterKeys, row);
    return this.indexRoot;
  }
}
