import { dec } from '@tributary/platform/core';
import type { SourceRow } from './source.js';

/**
 * Reading original values as the target stores them. Quantities and money stay exact decimal
 * strings (the drivers return DECIMAL as text), dates stay calendar days, instants become Dates.
 */
export function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function required(value: unknown, fallback: string): string {
  return text(value) ?? fallback;
}

export function decimal(value: unknown, fallback: string | null = '0'): string | null {
  if (value === null || value === undefined || value === '') return fallback;
  return dec(String(value)).toFixed();
}

export function integer(value: unknown, fallback: number | null = 0): number | null {
  if (value === null || value === undefined || value === '') return fallback;
  return Number(value);
}

export function flag(value: unknown, fallback = 0): number {
  if (value === null || value === undefined) return fallback;
  return value === true || Number(value) === 1 ? 1 : 0;
}

export function bool(value: unknown, fallback: boolean): boolean {
  if (value === null || value === undefined) return fallback;
  return value === true || value === 't' || Number(value) === 1;
}

export function instant(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value;
  const textual = String(value);
  // MariaDB DATETIME has no zone; the originals wrote UTC.
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(textual) ? textual : `${textual.replace(' ', 'T')}Z`);
}

export function day(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

export function json(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The first of `columns` the row has (the column sets name one field differently). */
export function pick(row: SourceRow, ...columns: string[]): unknown {
  for (const column of columns) if (row[column] !== undefined) return row[column];
  return undefined;
}

/** Frappe's standard document columns, as the original wrote them. */
export function standardColumns(row: SourceRow): Record<string, unknown> {
  return {
    name: String(row.name),
    creation: instant(row.creation) ?? new Date(0),
    modified: instant(row.modified) ?? instant(row.creation) ?? new Date(0),
    modified_by: text(row.modified_by),
    owner: text(row.owner),
    docstatus: integer(row.docstatus),
    idx: integer(row.idx),
  };
}

/** A row as it goes into the import log: plain JSON values. */
export function originalRow(row: SourceRow): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([column, value]) => [
      column,
      value instanceof Date ? value.toISOString() : typeof value === 'bigint' ? String(value) : value,
    ]),
  );
}
