import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';

const HEADER = ['order_code', 'product_name', 'item_code', 'requirement', 'plan_start', 'plan_end'];

/** An .xlsx plan on disk (the browser uploads a real file), headers in row 1 as planners keep them. */
export async function planWorkbook(rows: ReadonlyArray<ReadonlyArray<string>>): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Plan');
  sheet.addRow(HEADER);
  for (const row of rows) sheet.addRow([...row]);
  const path = join(await mkdtemp(join(tmpdir(), 'tributary-plan-')), 'plan.xlsx');
  await writeFile(path, Buffer.from(await workbook.xlsx.writeBuffer()));
  return path;
}
