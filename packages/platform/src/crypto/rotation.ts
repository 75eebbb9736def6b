import type { MasterKeys } from './master-keys.js';
import type { Kysely } from 'kysely';
import { asDynamic, type AnyKysely, type DynamicSchema } from '../db/schema.js';
import { isCiphertext, keyIdPattern, parseCiphertext } from './format.js';
import type { FieldCipher } from './field-cipher.js';
import { newDataKeyId } from './key-store.js';

/** A table with encrypted columns, as the re-encryption pass walks it. */
export interface EncryptedTable {
  table: string;
  /** A unique, orderable column (the primary key) to walk and to update by. */
  key: string;
  columns: ReadonlyArray<{
    name: string;
    /** The column holding this column's blind index; filled when a plaintext value is encrypted. */
    blindIndex?: string;
  }>;
}

export interface ReencryptOptions {
  batchSize?: number;
  /**
   * Encrypt values still in plaintext (a column that was just switched to encryption). Off by
   * default: a plaintext value in an encrypted column is otherwise left for a human to see.
   */
  encryptPlaintext?: boolean;
}

export interface ReencryptReport {
  activeKeyId: string;
  rewritten: number;
  /** Data keys no value names any more, now retired. */
  retired: string[];
  /** Values still under a non-active key (written concurrently under a stale key); run again. */
  remaining: number;
}

/**
 * Step (a) of a data key rotation: a new data key becomes active in the database; this
 * process writes with it at once, other processes within their `activeKeyTtlMs`.
 */
export async function rotateDataKey(cipher: FieldCipher, now: number = Date.now()): Promise<string> {
  const keyId = newDataKeyId();
  await cipher.store.create('data', keyId, now, true);
  await cipher.refresh();
  return keyId;
}

/**
 * Walks every encrypted column in small batches (keyset order, one short statement per row)
 * and re-encrypts values not under the active data key, while the service keeps serving:
 * each update is guarded by the value it read, so a concurrent write is never overwritten
 * (the newer value is already under a current key, or the next pass takes it). Data keys in
 * state `decrypt` that no value names any more are then retired.
 */
export async function reencryptAll(
  db: AnyKysely,
  cipher: FieldCipher,
  tables: readonly EncryptedTable[],
  options: ReencryptOptions = {},
): Promise<ReencryptReport> {
  const batchSize = options.batchSize ?? 100;
  const activeKeyId = await cipher.activeDataKeyId();
  const current = keyIdPattern(activeKeyId);
  let rewritten = 0;
  for (const spec of tables) {
    let after: string | undefined;
    for (;;) {
      let query = asDynamic(db)
        .selectFrom(spec.table)
        .select([spec.key, ...spec.columns.map((c) => c.name)])
        .where((eb) => eb.or(spec.columns.map((c) => eb.and([eb(c.name, 'is not', null), eb(c.name, 'not like', current)]))));
      if (after !== undefined) query = query.where(spec.key, '>', after);
      const rows = (await query.orderBy(spec.key).limit(batchSize).execute()) as Record<string, unknown>[];
      for (const row of rows)
        rewritten += await reencryptRow(asDynamic(db), cipher, spec, row, activeKeyId, options.encryptPlaintext === true);
      if (rows.length < batchSize) break;
      after = String(rows[rows.length - 1]![spec.key]);
    }
  }
  const { retired, remaining } = await retireUnusedKeys(db, cipher, tables);
  return { activeKeyId, rewritten, retired, remaining };
}

async function reencryptRow(
  db: Kysely<DynamicSchema>,
  cipher: FieldCipher,
  spec: EncryptedTable,
  row: Record<string, unknown>,
  activeKeyId: string,
  encryptPlaintext: boolean,
): Promise<number> {
  const set: Record<string, string> = {};
  const guards: Array<[string, string]> = [];
  for (const column of spec.columns) {
    const value = row[column.name];
    if (typeof value !== 'string') continue;
    const field = { table: spec.table, column: column.name };
    if (isCiphertext(value)) {
      if (parseCiphertext(value)!.keyId === activeKeyId) continue;
      set[column.name] = await cipher.encrypt(await cipher.decrypt(value, field), field);
    } else {
      if (!encryptPlaintext) continue;
      set[column.name] = await cipher.encrypt(value, field);
      if (column.blindIndex) set[column.blindIndex] = await cipher.blindIndex(value, field);
    }
    guards.push([column.name, value]);
  }
  if (guards.length === 0) return 0;
  let update = db.updateTable(spec.table).set(set).where(spec.key, '=', row[spec.key]);
  for (const [name, value] of guards) update = update.where(name, '=', value);
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0 ? 1 : 0;
}

/** Retires every non-active data key that no encrypted column names; counts the values still under one. */
export async function retireUnusedKeys(
  db: AnyKysely,
  cipher: FieldCipher,
  tables: readonly EncryptedTable[],
  now: number = Date.now(),
): Promise<{ retired: string[]; remaining: number }> {
  const retired: string[] = [];
  let remaining = 0;
  for (const key of await cipher.store.all()) {
    if (key.purpose !== 'data' || key.state !== 'decrypt') continue;
    const uses = await countUnder(db, tables, key.key_id);
    if (uses === 0) {
      await cipher.store.retire(key.key_id, now);
      retired.push(key.key_id);
    } else {
      remaining += uses;
    }
  }
  return { retired, remaining };
}

/** How many values name a data key, over every encrypted column. */
export async function countUnder(db: AnyKysely, tables: readonly EncryptedTable[], keyId: string): Promise<number> {
  let total = 0;
  const pattern = keyIdPattern(keyId);
  for (const spec of tables) {
    const row = await asDynamic(db)
      .selectFrom(spec.table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where((eb) => eb.or(spec.columns.map((c) => eb(c.name, 'like', pattern))))
      .executeTakeFirstOrThrow();
    total += Number(row.n);
  }
  return total;
}

/**
 * A full rotation while the service runs: a new data key, every value re-encrypted under it,
 * the old keys retired. Safe to run again when `remaining` is not zero.
 */
export async function rotateAndReencrypt(
  db: AnyKysely,
  cipher: FieldCipher,
  tables: readonly EncryptedTable[],
  options: ReencryptOptions & { now?: number } = {},
): Promise<ReencryptReport & { newKeyId: string }> {
  const newKeyId = await rotateDataKey(cipher, options.now);
  const report = await reencryptAll(db, cipher, tables, options);
  return { ...report, newKeyId };
}

/** What a service tells the key rotation command: its encrypted columns and where its master keys come from. */
export interface ServiceEncryption {
  tables: readonly EncryptedTable[];
  /** `env` is the service's environment; `dataDir` the embedded platform's; `secret` the service's own signing secret. */
  masterKeys(source: { env: Record<string, string | undefined>; dataDir: string; secret: string }): Promise<MasterKeys>;
  /** Where a new master key is written on a master key rotation; undefined when the keys are derived (no file to rotate). */
  masterKeyFile(source: { env: Record<string, string | undefined>; dataDir: string }): string | undefined;
}
