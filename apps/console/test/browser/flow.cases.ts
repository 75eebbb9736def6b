import { expect, it } from 'vitest';
import { apiAs, expectAccessible, openPage, pageAs, type ConsoleRig } from './harness.js';
import { screenshot } from './screenshots.js';
import { expectExportMatchesTable } from './csv-export.js';
import { filterTable, status } from './page-steps.js';
import { planWorkbook } from './workbook.js';

const ORDER = 'ORD-UI-7001';

/**
 * The tea flow through the pages, each step by the group that does it: plan upload (a bad
 * sheet first), a standard and a special request, the approval, Seeduwa's not-ready, split
 * and ready, and the export of the filtered shipments.
 */
export function flowCases(rig: () => ConsoleRig): void {
  it('runs plan → request → approval → not ready → split → ready through the pages', async () => {
    const admin = await pageAs(rig(), 'GRANDPASS-ADMIN');
    try {
      const page = admin.page;
      await openPage(page, 'Production plans');
      const before = await (await apiAs(rig(), 'grandpass-admin')).call('GET', '/order/plan');
      const planCount = ((await before.json()) as unknown[]).length;

      await page.getByLabel('Excel plan (.xlsx)').setInputFiles(
        await planWorkbook([
          [ORDER, 'Ceylon Breakfast 100 bags', 'BLT00042', 'abc', '2026-03-01', '2026-03-10'],
          [ORDER, 'Ceylon Breakfast 100 bags', 'BLT00042', '200', '2026-13-01', '2026-03-10'],
          [ORDER, '', 'BLT00042', '200', '2026-03-01', '2026-03-10'],
        ]),
      );
      await page.getByRole('button', { name: 'Upload' }).click();
      const problems = page.getByRole('table', { name: 'Problems by sheet row' });
      await problems.waitFor();
      expect(await problems.locator('tbody tr').allTextContents()).toEqual([
        expect.stringMatching(/^2requirement/),
        expect.stringMatching(/^3plan_start/),
        expect.stringMatching(/^4product_name/),
      ]);
      await expectAccessible(page, 'plan upload with row errors');
      await screenshot(page, 'plan-upload-errors');
      const unchanged = await (await apiAs(rig(), 'grandpass-admin')).call('GET', '/order/plan');
      expect(((await unchanged.json()) as unknown[]).length).toBe(planCount);

      await page.getByLabel('Excel plan (.xlsx)').setInputFiles(
        await planWorkbook([
          [ORDER, 'Ceylon Breakfast 100 bags', 'BLT00042', '150', '2026-03-01', '2026-03-10'],
          [ORDER, 'Ceylon Breakfast 100 bags', 'BLT00042', '0.5', '2026-03-02', '2026-03-12'],
        ]),
      );
      await page.getByRole('button', { name: 'Upload' }).click();
      await status(page, 'Saved 1 plan(s).');
      await filterTable(page, ORDER);
      const row = page.getByRole('row').filter({ hasText: ORDER });
      await expect.poll(() => row.textContent()).toContain('150.50 kg');
      await screenshot(page, 'plans');
    } finally {
      await admin.context.close();
    }

    const officer = await pageAs(rig(), 'GRANDPASS-OFFICER');
    let standard = 0;
    let special = 0;
    try {
      const page = officer.page;
      await openPage(page, 'Order requests');
      const form = page.getByRole('form', { name: 'Request material' });
      await form.getByLabel('Plan', { exact: true }).selectOption(ORDER);
      await form.getByLabel('Quantity (kg)').fill('120.5');
      await form.getByRole('button', { name: 'Send request' }).click();
      await status(page, 'sent.');
      standard = Number(/Request (\d+) sent/.exec((await page.getByRole('status').filter({ hasText: 'sent' }).textContent()) ?? '')?.[1]);

      await form.getByLabel('Plan', { exact: true }).selectOption(ORDER);
      await form.getByLabel('Quantity (kg)').fill('40');
      await form.getByLabel('Note').fill('Extra for the Dubai order');
      await form.getByLabel(/Special request/).check();
      await form.getByRole('button', { name: 'Send request' }).click();
      await status(page, 'sent for approval.');
      special = Number(
        /Request (\d+) sent/.exec((await page.getByRole('status').filter({ hasText: 'for approval' }).textContent()) ?? '')?.[1],
      );
      expect(special).toBeGreaterThan(standard);
      await expectAccessible(page, 'order requests as officer');
      await screenshot(page, 'order-requests');
    } finally {
      await officer.context.close();
    }

    const supervisor = await pageAs(rig(), 'GRANDPASS-SUPERVISOR');
    try {
      const page = supervisor.page;
      await openPage(page, 'Order requests');
      const approve = page.getByRole('button', { name: `Approve request ${special}` });
      await approve.waitFor();
      expect(await page.getByRole('button', { name: `Approve request ${standard}` }).count()).toBe(0);
      await expectAccessible(page, 'approval inbox');
      await approve.click();
      await approve.waitFor({ state: 'detached' });
    } finally {
      await supervisor.context.close();
    }

    const seeduwa = await pageAs(rig(), 'SEEDUWA-OFFICER');
    try {
      const page = seeduwa.page;
      await openPage(page, 'Shipments');
      await filterTable(page, ORDER);
      await page.getByRole('button', { name: `${standard}/1`, exact: true }).click();
      const detail = page.getByRole('region', { name: new RegExp(`Shipment ${standard}/1`) });
      await detail.getByRole('button', { name: 'Not ready' }).click();
      await detail.getByText('Say why it is not ready.').waitFor();
      await detail.getByLabel('Why it is not ready').fill('Blend still in QC');
      await detail.getByRole('button', { name: 'Not ready' }).click();
      await status(page, 'Marked not ready.');
      const history = detail.getByRole('list', { name: 'Shipment history' });
      await expect.poll(() => history.textContent()).toContain('Remarks: Blend still in QC');

      await detail.getByLabel('Ship now (kg)').fill('100');
      await detail.getByRole('button', { name: 'Split' }).click();
      await status(page, 'Shipment split');
      await page.getByRole('button', { name: `${standard}/2`, exact: true }).waitFor();
      expect(
        await page
          .getByRole('row')
          .filter({ hasText: `${standard}/2` })
          .textContent(),
      ).toContain('20.50 kg');

      await detail.getByRole('button', { name: 'Ready to ship' }).click();
      await status(page, 'Marked ready to ship.');
      await expect.poll(() => detail.textContent()).toContain('Now: Ready to ship');
      await expectAccessible(page, 'shipment detail');
      await screenshot(page, 'shipments');

      // The export is the filtered list as shown, cell for cell.
      const [header, ...rows] = await expectExportMatchesTable(page);
      expect(header).toEqual(['Shipment', 'Order', 'Product', 'Quantity', 'Bags allocated', 'Status', 'Last change']);
      expect(rows.map((row) => row[0]).sort()).toEqual([`${special}/1`, `${standard}/1`, `${standard}/2`].sort());
      expect(rows.find((row) => row[0] === `${standard}/2`)?.[3]).toBe('20.50 kg');
    } finally {
      await seeduwa.context.close();
    }
  }, 300_000);
}
