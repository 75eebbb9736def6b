import { sql, type Kysely } from '@tributary/platform/db';
import type { ProcessingDb } from '../../db/schema.js';
import { recordTable, type Material } from '../../domain/materials.js';
import { apiRow } from '../../domain/values.js';

export interface RecordListEntry {
  id: number;
  received_ts: number;
  store_location: string;
  bag_weight: string;
  gross_weight: string;
  barcode: string;
  status: string;
  remaining: string;
  reference?: string;
}

/** The bags of one lot or batch, in bag-number order ("record_list" in the detail answers). */
export async function listRecordsOf(
  db: Kysely<ProcessingDb>,
  material: Material,
  itemCode: string,
  createdTs: string,
): Promise<RecordListEntry[]> {
  const reference = material === 'herbline' ? sql`, reference` : sql``;
  const { rows } = await sql<Omit<RecordListEntry, 'received_ts'> & { received_ts: string }>`
    select bag_no as id, received_ts, store_location, bag_weight, gross_weight, barcode, status, remaining ${reference}
      from ${sql.table(recordTable(material))}
     where item_code = ${itemCode} and created_ts = ${createdTs}
     order by bag_no`.execute(db);
  return rows.map((row) => apiRow(row));
}
