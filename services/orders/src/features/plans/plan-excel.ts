import type ExcelJS from 'exceljs';
import { OrdersError } from '../../errors.js';
import { RAW_COLUMNS, type NumberedRow, type RawColumn } from './plan-rows.js';

const REQUIRED: readonly RawColumn[] = ['order_code', 'product_name', 'requirement', 'plan_start', 'plan_end'];
const MAX_ROWS = 20_000;

/**
 * Reads the first worksheet of an .xlsx plan: row 1 holds the column names (matched
 * case-insensitively, spaces or dashes as underscores: "Order Code" = order_code), every
 * later non-empty row is a plan row numbered as in the sheet. Unknown columns are ignored.
 */
export async function readPlanWorkbook(bytes: Buffer): Promise<NumberedRow[]> {
  // An .xlsx is a zip archive; anything else would make the parser throw something obscure.
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    throw OrdersError.PLAN_FILE_INVALID('The upload is not an .xlsx workbook');
  }
  // Loaded on first upload: the library is large and most starts never parse a workbook.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw OrdersError.PLAN_FILE_INVALID('The .xlsx workbook could not be read', { cause: error });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.rowCount < 2) throw OrdersError.PLAN_FILE_INVALID('The first worksheet has no plan rows');
  if (sheet.rowCount > MAX_ROWS + 1) throw OrdersError.PLAN_FILE_INVALID(`A plan sheet may hold at most ${MAX_ROWS} rows`);

  const columns = new Map<number, RawColumn>();
  sheet.getRow(1).eachCell((cell, index) => {
    const name = cellText(cell.value)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '');
    if ((RAW_COLUMNS as readonly string[]).includes(name)) columns.set(index, name as RawColumn);
  });
  const missing = REQUIRED.filter((column) => ![...columns.values()].includes(column));
  if (missing.length > 0) {
    throw OrdersError.PLAN_FILE_INVALID(`The header row lacks: ${missing.join(', ')}`, { details: { missingColumns: missing } });
  }

  const rows: NumberedRow[] = [];
  for (let number = 2; number <= sheet.rowCount; number++) {
    const row = sheet.getRow(number);
    const values: NumberedRow['values'] = {};
    let empty = true;
    for (const [index, column] of columns) {
      const value = cellText(row.getCell(index).value);
      if (value !== '') empty = false;
      values[column] = value;
    }
    if (!empty) rows.push({ row: number, values });
  }
  if (rows.length === 0) throw OrdersError.PLAN_FILE_INVALID('The first worksheet has no plan rows');
  return rows;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'object') {
    if ('richText' in value)
      return value.richText
        .map((part) => part.text)
        .join('')
        .trim();
    if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
    if ('text' in value && typeof value.text === 'string') return value.text.trim();
  }
  return '';
}
