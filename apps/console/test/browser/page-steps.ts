import type { Page } from 'playwright-core';

/** Waits for the page's status line to say `text`, and returns all it says. */
export async function status(page: Page, text: string | RegExp): Promise<string> {
  const found = page.getByRole('status').filter({ hasText: text });
  await found.waitFor();
  return (await found.textContent()) ?? '';
}

/** Waits for an alert saying `text`: a refusal the page put in words. */
export async function alert(page: Page, text: string | RegExp): Promise<void> {
  await page.getByRole('alert').filter({ hasText: text }).waitFor();
}

/** Narrows the page's table to rows holding `text`. */
export async function filterTable(page: Page, text: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Filter' }).fill(text);
}

/** What a keyboard-wedge scanner does: types the label into the focused field and presses Enter. */
export async function wedgeScan(page: Page, text: string): Promise<void> {
  const field = page.getByLabel('Scan a bag');
  await field.focus();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Traces a code on the Traceability page and waits for its answer. */
export async function trace(page: Page, code: string): Promise<void> {
  await page.getByLabel('Barcode or lot code').fill(code);
  await page.keyboard.press('Enter');
  await page.getByText(`Traced ${code}:`).waitFor();
}

/** One side of a trace: 'Found', 'Where it came from' or 'Where it went'. */
export const traceSide = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
