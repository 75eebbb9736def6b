import { compareDecimal, formatKg } from '../lib/format';
import type { Column } from './data-table';

/** A weight column: shown in kg, sorted on the decimal's digits, right-aligned. */
export function kgColumn<Row>(key: string, header: string, kg: (row: Row) => string): Column<Row> {
  return { key, header, text: (row) => formatKg(kg(row)), compare: (a, b) => compareDecimal(kg(a), kg(b)), numeric: true };
}
