import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { expectExportMatchesTable } from './csv-export.js';
import { apiAs, expectAccessible, openPage, pageAs, type ConsoleRig } from './harness.js';
import { status } from './page-steps.js';
import { screenshot } from './screenshots.js';

const dialog = (page: Page, name: string | RegExp) => page.getByRole('dialog', { name });

/** Access keys, routes, tiers and the audit log, each against the real gateway. */
export function gatewayAdminPageCases(rig: () => ConsoleRig): void {
  it('issues an access key, rotates it with a grace period and revokes the old one', async () => {
    const { context, page } = await pageAs(rig(), 'admin');
    try {
      await openPage(page, 'Access keys');
      await page.getByLabel('Owner', { exact: true }).selectOption({ label: 'seeduwa-officer (Seeduwa officer)' });
      await page.getByLabel('Description (optional)').fill('Scale bridge');
      await page.getByRole('button', { name: 'Create access key' }).click();
      const issued = dialog(page, /^Access key TRBK/);
      const secret = await issued.getByRole('textbox', { name: 'Secret access key' }).inputValue();
      expect(secret.length).toBeGreaterThan(30);
      const id = ((await issued.getAttribute('aria-label')) ?? '').replace('Access key ', '');
      await issued.getByRole('button', { name: 'I have stored it' }).click();

      await page.getByRole('button', { name: `Rotate ${id}` }).click();
      const rotate = dialog(page, `Rotate ${id}`);
      await rotate.getByLabel('Old key keeps working for').selectOption({ label: '1 hour' });
      await rotate.getByRole('button', { name: 'Rotate' }).click();
      const renewed = dialog(page, /^New access key TRBK/);
      await renewed.getByText(new RegExp(`The old key ${id} works until`)).waitFor();
      expect(await renewed.getByRole('textbox', { name: 'Secret access key' }).inputValue()).not.toBe(secret);
      await expectAccessible(page, 'a rotated access key');
      await renewed.getByRole('button', { name: 'I have stored it' }).click();

      const old = page.getByRole('row').filter({ hasText: id });
      await expect.poll(() => old.textContent()).toMatch(/Active until/);
      await screenshot(page, 'gateway-access-keys');
      await page.getByRole('button', { name: `Revoke ${id}` }).click();
      await dialog(page, `Revoke ${id}?`).getByRole('button', { name: 'Revoke' }).click();
      await status(page, 'Revoked.');
      await expect.poll(() => old.textContent()).toMatch(/Revoked/);
    } finally {
      await context.close();
    }
  });

  it('shows each route with its targets and breaker, and a refused change at its field', async () => {
    // A routed call first, so the route's target and breaker have something to report.
    const officer = await apiAs(rig(), 'grandpass-officer');
    expect((await officer.call('GET', '/order/plan')).status).toBe(200);
    const { context, page } = await pageAs(rig(), 'admin');
    try {
      await openPage(page, 'Routes');
      const table = page.getByRole('table');
      await table.getByRole('cell', { name: 'Closed', exact: true }).first().waitFor();
      await screenshot(page, 'gateway-routes');

      await table.locator('tbody').getByRole('button').first().click();
      const edit = page.getByRole('dialog', { name: /^Change route / });
      const upstream = edit.getByLabel('Upstream', { exact: true });
      await upstream.fill('ftp://files.example');
      await edit.getByRole('button', { name: 'Save route' }).click();
      await expect.poll(() => upstream.getAttribute('aria-invalid')).toBe('true');
      expect(await edit.getByText('is not an http(s) URL or peer:<service>', { exact: false }).count()).toBe(1);
      await expectAccessible(page, 'a refused route change');
      await edit.getByRole('button', { name: 'Cancel' }).click();
    } finally {
      await context.close();
    }
  });

  it('lists the rate-limit tiers, and searches the audit log and exports exactly what it found', async () => {
    const { context, page } = await pageAs(rig(), 'admin');
    try {
      await openPage(page, 'Rate-limit tiers');
      const basic = page.getByRole('row').filter({ hasText: 'Basic' });
      expect((await basic.getByRole('cell').allTextContents()).slice(0, 4)).toEqual(['Basic', '30', '1,800', '43,200']);
      await screenshot(page, 'gateway-tiers');

      await openPage(page, 'Audit log');
      await page.getByLabel('Who (user id)').fill('usr_admin');
      await page.getByLabel('Path called').fill('/api/v1/admin/rate-limit-tiers');
      await page.getByRole('button', { name: 'Search' }).click();
      const caption = page.getByRole('table').locator('caption');
      await expect.poll(() => caption.textContent()).toMatch(/^Audit log: 1–\d+ of \d+$/);
      const rows = await expectExportMatchesTable(page);
      expect(rows.slice(1).every((row) => row[1] === 'usr_admin' && row[3] === '/api/v1/admin/rate-limit-tiers')).toBe(true);
      await expectAccessible(page, 'Audit log');
      await screenshot(page, 'gateway-audit');
    } finally {
      await context.close();
    }
  });
}
