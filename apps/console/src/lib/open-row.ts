/**
 * Some processing answers are documented only as open objects (the original's rows, passed on
 * as they are). These read one field as the type the page needs, so an absent or odd field
 * shows as blank instead of breaking the page.
 */
export type OpenRow = Readonly<Record<string, unknown>>;

export function textOf(row: OpenRow, key: string): string {
  const value = row[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

export function numberOf(row: OpenRow, key: string): number {
  const value = row[key];
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : 0;
}
