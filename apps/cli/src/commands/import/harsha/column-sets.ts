import { fault, type FaultEntry } from './faults.js';
import type { SourceDatabase } from './source.js';

/**
 * The three column sets the HD tables were created with (spec DDL, Frappe doctype JSON, gateway
 * knex migrations). A table is recognised by columns only one set has; the mapping then reads
 * each field under whichever name that set gives it (see `pick`).
 */
const MARKERS: Record<string, { doctype?: string[]; knex?: string[] }> = {
  'tabHD Customer Segment': { doctype: ['status', 'priority'], knex: ['description', 'customer_count'] },
  'tabHD Customer Segment Assignment': { doctype: ['assignment_type'], knex: ['assignment_method'] },
  'tabHD Batch Master': { doctype: ['batch_qty'], knex: ['batch_size'] },
  'tabHD Dynamic Pricing Rule': { doctype: ['status', 'applicable_days'] },
};

export type ColumnSet = 'spec' | 'doctype' | 'knex';

export async function columnSet(source: SourceDatabase, table: string): Promise<ColumnSet> {
  const markers = MARKERS[table];
  if (!markers) return 'spec';
  const columns = await source.columns(table);
  if (markers.knex?.every((column) => columns.has(column))) return 'knex';
  if (markers.doctype?.every((column) => columns.has(column))) return 'doctype';
  return 'spec';
}

export async function columnSetFaults(source: SourceDatabase, table: string): Promise<FaultEntry[]> {
  const set = await columnSet(source, table);
  if (set === 'spec') return [];
  const columns = [...(await source.columns(table))].sort();
  return [fault(table, '*', set === 'knex' ? 'COLUMN_SET_KNEX' : 'COLUMN_SET_DOCTYPE', { column_set: set, columns })];
}
