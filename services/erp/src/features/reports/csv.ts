/**
 * CSV as spreadsheets read it (RFC 4180): every field quoted when it holds a comma, quote or
 * line break, quotes doubled, CRLF between records. A field starting with = + - @ is prefixed
 * with an apostrophe so a spreadsheet shows it rather than running it as a formula; decimals
 * are left alone, so a negative amount stays a number.
 */
export function toCsv(columns: readonly string[], records: readonly (readonly (string | number)[])[]): string {
  const field = (value: string | number): string => {
    let text = String(value);
    if (/^[=+\-@]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [columns, ...records].map((record) => record.map(field).join(',')).join('\r\n') + '\r\n';
}

/** The client asked for CSV: `format=csv`, or an Accept header ranking text/csv above JSON. */
export function csvRequested(format: string | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  const ranked = (accept ?? '')
    .toLowerCase()
    .split(',')
    .map((entry) => entry.split(';')[0]!.trim());
  const csvAt = ranked.indexOf('text/csv');
  if (csvAt === -1) return false;
  const jsonAt = ranked.indexOf('application/json');
  return jsonAt === -1 || csvAt < jsonAt;
}
