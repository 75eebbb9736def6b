import { expect, it } from 'vitest';
import { apiAs, expectAccessible, openPage, pageAs, type ConsoleRig } from './harness.js';
import { seededFlow } from './mtp-seed.js';
import { wedgeScan } from './page-steps.js';
import { screenshot } from './screenshots.js';

interface OrderRow {
  request_code: number;
  shipments: Array<{ status: string; events: Array<{ status: string; shipment_remarks?: string }> }>;
}

export function gatepassCases(rig: () => ConsoleRig): void {
  it('checks the bags of a vehicle by scanning, accepts it with remarks and prints the gatepass', async () => {
    const flow = await seededFlow(rig());
    // A group without the gatepass action is refused acceptance by the server too.
    const seeduwa = await apiAs(rig(), 'seeduwa-officer');
    const refused = await seeduwa.call('POST', '/order/shipment/event', [
      { request_code: flow.requests[0], shipment_code: 1, status: 'SHIPMENT_ACCEPTED', shipment_remarks: 'not mine to accept' },
    ]);
    expect(refused.status).toBe(403);

    const { context, page } = await pageAs(rig(), 'GRANDPASS-GATEPASS');
    try {
      await openPage(page, 'Gatepass');
      const row = page.getByRole('row').filter({ hasText: flow.vehicle });
      await expect.poll(() => row.textContent()).toContain('55.00 kg');
      await page.getByRole('button', { name: flow.vehicle, exact: true }).click();
      const check = page.getByRole('region', { name: `Vehicle ${flow.vehicle}` });
      await check.getByText('0 of 2 bags checked.').waitFor();

      await check.getByRole('button', { name: 'Accept and make gatepass' }).click();
      await check.getByText('Scan every bag first: 2 not checked yet.').waitFor();

      await wedgeScan(page, 'blendsheet:00000000-0000-4000-8000-000000000000');
      await expect.poll(() => check.getByRole('alert').textContent()).toContain("This bag is not on this vehicle's list");
      await wedgeScan(page, flow.labels[0]!);
      await check.getByText('1 of 2 bags checked.').waitFor();
      await wedgeScan(page, flow.labels[0]!);
      await expect.poll(() => check.getByRole('alert').textContent()).toContain('This bag was already checked');
      // A hand-typed bare code, in capitals, is the same bag.
      await wedgeScan(page, flow.labels[1]!.split(':')[1]!.toUpperCase());
      await check.getByText('2 of 2 bags checked.').waitFor();
      const bagRow = check.getByRole('row').filter({ hasText: flow.labels[1]! });
      expect(await bagRow.textContent()).toContain('Checked');
      await expectAccessible(page, 'gatepass bag check');
      await screenshot(page, 'gatepass');

      await check.getByLabel('Remarks').fill('Seals intact, tarpaulin dry');
      await check.getByRole('button', { name: 'Accept and make gatepass' }).click();
      const document = page.getByRole('article', { name: `Gatepass: vehicle ${flow.vehicle}` });
      await document.waitFor();
      const text = (await document.textContent()) ?? '';
      const fullName = (await page.locator('.shell-user div').first().textContent()) ?? '';
      expect(fullName).not.toBe('');
      expect(text).toContain(`Accepted by${fullName}`);
      expect(text).toContain('RemarksSeals intact, tarpaulin dry');
      expect(text).toContain('2 bag(s), 55.00 kg');
      expect(text).toContain('30.00 kg');
      expect(text).toContain('(Asia/Colombo)');
      for (const label of flow.labels) expect(text).toContain(label);
      await expectAccessible(page, 'gatepass document');

      // On paper only the document is left: no navigation, page heading or buttons.
      const chrome = [
        page.getByRole('navigation', { name: 'Pages' }),
        page.getByRole('heading', { name: 'Gatepass', exact: true, level: 2 }),
        page.getByRole('button', { name: 'Print gatepass' }),
      ];
      for (const part of chrome) expect(await part.isVisible()).toBe(true);
      await page.emulateMedia({ media: 'print' });
      expect(await document.isVisible()).toBe(true);
      for (const part of chrome) expect(await part.isVisible()).toBe(false);
      await screenshot(page, 'gatepass-print');
      await page.emulateMedia({ media: 'screen' });
    } finally {
      await context.close();
    }

    const orders = (await (
      await apiAs(rig(), 'grandpass-gatepass')
    )
      .call('GET', '/order')
      .then((response) => response.json())) as OrderRow[];
    for (const code of flow.requests) {
      const shipment = orders.find((request) => request.request_code === code)!.shipments[0]!;
      expect(shipment.status).toBe('SHIPMENT_ACCEPTED');
      expect(shipment.events.find((event) => event.status === 'SHIPMENT_ACCEPTED')?.shipment_remarks).toBe('Seals intact, tarpaulin dry');
    }
  }, 240_000);
}
