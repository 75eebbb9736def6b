import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { KEY_BYTES, open, seal } from './aead.js';
import { cryptoFailure, CryptoError } from './errors.js';
import { FIELD_KEY_TABLE, type FieldKeyPurpose, type FieldKeyRow, type FieldKeyTables } from './key-table.js';
import type { MasterKeys } from './master-keys.js';

/** A data key wrapped under a master key is bound to its own id and purpose (no swapping rows). */
function wrapAad(keyId: string, purpose: FieldKeyPurpose): string {
  return `tributary:field_key:v1:${keyId}:${purpose}`;
}

export function wrapKey(masterKeys: MasterKeys, keyId: string, purpose: FieldKeyPurpose, key: Buffer): { kekId: string; wrapped: string } {
  const kek = masterKeys.keys.get(masterKeys.active)!;
  return { kekId: masterKeys.active, wrapped: seal(kek, key, wrapAad(keyId, purpose)).toString('base64url') };
}

export function unwrapKey(masterKeys: MasterKeys, row: Pick<FieldKeyRow, 'key_id' | 'purpose' | 'kek_id' | 'wrapped_key'>): Buffer {
  const kek = masterKeys.keys.get(row.kek_id);
  if (!kek)
    throw cryptoFailure(
      CryptoError.MasterKeyMissing,
      `data key ${row.key_id} is wrapped by master key ${row.kek_id}, which is not configured`,
    );
  const key = open(kek, Buffer.from(row.wrapped_key, 'base64url'), wrapAad(row.key_id, row.purpose));
  if (!key || key.length !== KEY_BYTES)
    throw cryptoFailure(CryptoError.Unauthentic, `data key ${row.key_id} does not unwrap with master key ${row.kek_id}`);
  return key;
}

export function newDataKeyId(): string {
  return `dk-${randomBytes(6).toString('hex')}`;
}

/** The one blind-index root key; a fixed id, so two processes bootstrapping at once make only one. */
export const INDEX_KEY_ID = 'bidx-1';

export class FieldKeyStore {
  constructor(
    private readonly db: Kysely<FieldKeyTables>,
    private readonly masterKeys: MasterKeys,
  ) {}

  all(): Promise<FieldKeyRow[]> {
    return this.db.selectFrom(FIELD_KEY_TABLE).selectAll().execute();
  }

  find(keyId: string): Promise<FieldKeyRow | undefined> {
    return this.db.selectFrom(FIELD_KEY_TABLE).selectAll().where('key_id', '=', keyId).executeTakeFirst();
  }

  /**
   * The active data key: the newest active one (two processes bootstrapping together may both
   * create one; both decrypt, and the newest wins for writes everywhere).
   */
  async active(purpose: FieldKeyPurpose): Promise<FieldKeyRow | undefined> {
    return this.db
      .selectFrom(FIELD_KEY_TABLE)
      .selectAll()
      .where('purpose', '=', purpose)
      .where('state', '=', 'active')
      .orderBy('created_at', 'desc')
      .orderBy('key_id', 'desc')
      .executeTakeFirst();
  }

  /** Inserts a fresh key; when `demoteOthers`, every other key of the purpose stops being active in the same transaction. */
  async create(purpose: FieldKeyPurpose, keyId: string, now: number, demoteOthers: boolean): Promise<FieldKeyRow> {
    const { kekId, wrapped } = wrapKey(this.masterKeys, keyId, purpose, randomBytes(KEY_BYTES));
    const row: FieldKeyRow = {
      key_id: keyId,
      purpose,
      state: 'active',
      kek_id: kekId,
      wrapped_key: wrapped,
      created_at: now,
      retired_at: null,
    };
    await this.db.transaction().execute(async (trx) => {
      if (demoteOthers) {
        await trx
          .updateTable(FIELD_KEY_TABLE)
          .set({ state: 'decrypt' })
          .where('purpose', '=', purpose)
          .where('state', '=', 'active')
          .execute();
      }
      await trx.insertInto(FIELD_KEY_TABLE).values(row).execute();
    });
    return row;
  }

  async retire(keyId: string, now: number): Promise<void> {
    await this.db
      .updateTable(FIELD_KEY_TABLE)
      .set({ state: 'retired', retired_at: now })
      .where('key_id', '=', keyId)
      .where('state', '=', 'decrypt')
      .execute();
  }

  /** KEK rotation: every key not yet under the active master key is unwrapped and wrapped again; the data keys themselves do not change. */
  async rewrapAll(): Promise<number> {
    let count = 0;
    for (const row of await this.all()) {
      if (row.kek_id === this.masterKeys.active) continue;
      const key = unwrapKey(this.masterKeys, row);
      const { kekId, wrapped } = wrapKey(this.masterKeys, row.key_id, row.purpose, key);
      // Guarded by the old wrapping, so two rotations running at once do not fight.
      const result = await this.db
        .updateTable(FIELD_KEY_TABLE)
        .set({ kek_id: kekId, wrapped_key: wrapped })
        .where('key_id', '=', row.key_id)
        .where('wrapped_key', '=', row.wrapped_key)
        .executeTakeFirst();
      count += Number(result.numUpdatedRows);
    }
    return count;
  }
}
