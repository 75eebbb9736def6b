import { sql, type Kysely, type Transaction } from '@tributary/platform/db';
import type { ProcessingDb } from '../../db/schema.js';

export type LotKind = 'tealine' | 'herbline' | 'blendbalance';

export async function insertItem(trx: Transaction<ProcessingDb>, itemCode: string, createdTs: string): Promise<void> {
  await trx.insertInto('item').values({ item_code: itemCode, created_ts: createdTs }).execute();
}

/**
 * Lots with what was received so far: bag count, and Σ net weight (blendbalance's limit).
 * `incompleteOnly` applies §4.5: tealine while bags < no_of_bags, blendbalance while the
 * recorded net weight < the expected weight; herbline has no completion rule.
 */
export async function listLots(
  db: Kysely<ProcessingDb>,
  kind: LotKind,
  filter: { itemCode?: string; createdTs?: string; incompleteOnly?: boolean },
): Promise<Record<string, unknown>[]> {
  const records = sql.table(`${kind}_record`);
  const where = [sql`true`];
  if (filter.itemCode !== undefined) where.push(sql`l.item_code = ${filter.itemCode}`);
  if (filter.createdTs !== undefined) where.push(sql`l.created_ts = ${filter.createdTs}`);
  const received = sql`(select count(*)::int from ${records} r where r.item_code = l.item_code and r.created_ts = l.created_ts)`;
  const receivedKg = sql`(select coalesce(sum(r.gross_weight - r.bag_weight), 0) from ${records} r where r.item_code = l.item_code and r.created_ts = l.created_ts)`;
  if (filter.incompleteOnly && kind === 'tealine') where.push(sql`${received} < l.no_of_bags`);
  if (filter.incompleteOnly && kind === 'blendbalance') where.push(sql`${receivedKg} < l.weight`);
  const { rows } = await sql<Record<string, unknown>>`
    select l.*, ${received} as received_bags, ${receivedKg} as received_weight
      from ${sql.table(kind)} l
     where ${sql.join(where, sql` and `)}
     order by l.created_ts desc, l.item_code`.execute(db);
  return rows;
}
