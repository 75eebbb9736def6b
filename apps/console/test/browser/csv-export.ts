import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** RFC 4180 rows: quoted cells may hold commas ("1,250.00 kg"), doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted && char === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && char === '"') {
      quoted = false;
    } else if (quoted || (char !== '"' && char !== ',' && !(char === '\r' && text[i + 1] === '\n'))) {
      cell += char;
    } else if (char === '"') {
      quoted = true;
    } else {
      row.push(cell);
      cell = '';
      if (char === '\r') {
        rows.push(row);
        row = [];
        i++;
      }
    }
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/**
 * Clicks the page's one list's "Export CSV" and checks the file against the table on screen:
 * the same headings, and the same rows cell by cell in the same order. The list must fit on one
 * page, so every exported row is also shown. Answers the parsed file.
 */
export async function expectExportMatchesTable(page: Page): Promise<string[][]> {
  const table = page.locator('table');
  expect(await table.count()).toBe(1);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /Export CSV/ }).click();
  const text = await readFile((await (await download).path())!, 'utf8');
  // Excel reads UTF-8 only with the byte-order mark.
  expect(text.startsWith('\ufeff')).toBe(true);
  const [header, ...rows] = parseCsv(text.slice(1));
  const shownHeader = (await table.locator('thead th').allTextContents()).map((heading) => heading.trim());
  const shownRows: string[][] = [];
  for (const row of await table.locator('tbody tr').all())
    shownRows.push((await row.locator('td').allTextContents()).map((cell) => cell.trim()));
  expect(header).toEqual(shownHeader);
  expect(rows.length).toBeGreaterThan(0);
  expect(rows).toEqual(shownRows);
  return [header!, ...rows];
}
