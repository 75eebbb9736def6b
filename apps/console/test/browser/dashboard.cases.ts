import { expect, it } from 'vitest';
import { apiAs, expectAccessible, openPage, pageAs, type ConsoleRig } from './harness.js';
import { screenshot } from './screenshots.js';

/** A new request of the demo plan (shipment 1 ORDER_REQUESTED), made ready by the Seeduwa officer: all through the API. */
async function readyShipmentThroughApi(rig: ConsoleRig): Promise<void> {
  const officer = await apiAs(rig, 'grandpass-officer');
  const created = await officer.call('POST', '/order', [
    { order_code: 'DEMO-ORD-0001', product_name: 'English Breakfast 100 bags', requirement: '7', status: 'ORDER_REQUESTED' },
  ]);
  expect(created.status).toBe(200);
  const [request] = (await created.json()) as Array<{ request_code: string | number }>;
  const seeduwa = await apiAs(rig, 'seeduwa-officer');
  const ready = await seeduwa.call('POST', '/order/shipment/event', [
    { request_code: request!.request_code, shipment_code: 1, status: 'ORDER_READY' },
  ]);
  expect(ready.status).toBe(200);
}

export function dashboardCases(rig: () => ConsoleRig): void {
  it('shows the pipeline counts and moves "Ready to ship" when a shipment is made ready elsewhere, without a reload', async () => {
    const { context, page } = await pageAs(rig(), 'SEEDUWA-OFFICER');
    try {
      await openPage(page, 'Pipeline');
      const tiles = page.getByRole('definition');
      const ready = page.locator('[data-stage="ready"]');
      await ready.waitFor();
      expect(await page.getByRole('term').allTextContents()).toEqual([
        'Lots received',
        'Batches in QC',
        'Waiting for a trader',
        'Ready to ship',
        'On the way',
        'Received at Grandpass',
      ]);
      expect(await tiles.count()).toBe(6);
      const before = Number(await ready.textContent());
      expect(before).toBeGreaterThanOrEqual(1);
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Live' }).count()).toBe(1);
      await expectAccessible(page, 'pipeline dashboard');

      // A mark on the window survives only if the page is not reloaded.
      await page.evaluate('window.__sameDocument = true');
      await readyShipmentThroughApi(rig());
      await expect.poll(async () => Number(await ready.textContent()), { timeout: 20_000 }).toBe(before + 1);
      expect(await page.evaluate('window.__sameDocument === true')).toBe(true);
      await screenshot(page, 'pipeline');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('keeps status pills on one line, even in a narrow window', async () => {
    const { context, page } = await pageAs(rig(), 'SEEDUWA-OFFICER');
    try {
      await page.setViewportSize({ width: 800, height: 860 });
      await openPage(page, 'Shipments');
      const pill = page.locator('.status', { hasText: 'Ready to ship' }).first();
      await pill.waitFor();
      // Line boxes of the pill's text: two if "Ready to ship" wraps.
      const lines = await page.evaluate(
        `(() => { const pill = [...document.querySelectorAll('.status')].find((el) => el.textContent === 'Ready to ship'); const range = document.createRange(); range.selectNodeContents(pill); return range.getClientRects().length; })()`,
      );
      expect(lines).toBe(1);
    } finally {
      await context.close();
    }
  });
}
