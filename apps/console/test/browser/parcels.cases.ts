import { expect, it } from 'vitest';
import { apiAs, expectAccessible, openPage, pageAs, type ConsoleRig } from './harness.js';
import { acceptedFlow } from './mtp-seed.js';
import { screenshot } from './screenshots.js';

export function parcelCases(rig: () => ConsoleRig): void {
  it('the box-filling machine fills a received bag into a schedule; Seeduwa reads the parcels', async () => {
    const flow = await acceptedFlow(rig());
    const officer = await apiAs(rig(), 'grandpass-officer');
    const created = (await (
      await officer.call('POST', '/order/schedule', [
        { schedule_date: '2026-03-05', order_code: flow.order, shift: 'DAY', section: 'Line UI', quantity: '40' },
      ])
    ).json()) as Array<{ schedule_code: number }>;
    const scheduleCode = created[0]!.schedule_code;
    const shipment = `${flow.requests[0]}/1`;

    const machine = await pageAs(rig(), 'GRANDPASS-DEV-MACHINE');
    try {
      const page = machine.page;
      await openPage(page, 'Parcels');
      const chooser = page.getByLabel('Schedule', { exact: true });
      await chooser.locator(`option[value="${scheduleCode}"]`).waitFor({ state: 'attached' });
      expect(await chooser.locator(`option[value="${scheduleCode}"]`).textContent()).toContain('Line UI');
      await chooser.selectOption(String(scheduleCode));
      const form = page.getByRole('form', { name: 'Fill boxes from a bag' });
      await form.getByLabel('Received shipment').selectOption(shipment);

      await form.getByLabel('Bag').fill(flow.labels[1]!);
      await form.getByLabel('Filled (kg)').fill('5');
      await form.getByRole('button', { name: 'Record parcel' }).click();
      await form.getByText('This bag is not in the chosen shipment').waitFor();

      await form.getByLabel('Bag').fill(flow.labels[0]!);
      await form.getByLabel('Filled (kg)').fill('12.5');
      await form.getByRole('button', { name: 'Record parcel' }).click();
      await page.getByRole('status').filter({ hasText: '12.50 kg of bag' }).waitFor();
      const row = page.getByRole('row').filter({ hasText: flow.labels[0]! });
      await expect.poll(() => row.textContent()).toContain('12.50 kg');

      // The bag carried 30 kg for this shipment: 20 more would be over-parcelling, and processing says no.
      await form.getByLabel('Bag').fill(flow.labels[0]!);
      await form.getByLabel('Filled (kg)').fill('20');
      await form.getByRole('button', { name: 'Record parcel' }).click();
      await form.getByRole('alert').waitFor();
      await expectAccessible(page, 'parcels as box-filling machine');
      await screenshot(page, 'parcels');
    } finally {
      await machine.context.close();
    }
    const machineApi = await apiAs(rig(), 'grandpass-dev-machine');
    const parcels = (await (await machineApi.call('GET', `/order/record/parcel?schedule_code=${scheduleCode}`)).json()) as Array<{
      barcode: string;
      amount: string;
    }>;
    expect(parcels.map((parcel) => [`blendsheet:${parcel.barcode}`, Number(parcel.amount)])).toEqual([[flow.labels[0], 12.5]]);

    const seeduwa = await pageAs(rig(), 'SEEDUWA-OFFICER');
    try {
      const page = seeduwa.page;
      await openPage(page, 'Parcels');
      await page.getByLabel('Schedule number').fill(String(scheduleCode));
      const row = page.getByRole('row').filter({ hasText: flow.labels[0]! });
      await expect.poll(() => row.textContent()).toContain('12.50 kg');
      expect(await page.getByRole('form', { name: 'Fill boxes from a bag' }).count()).toBe(0);
      await expectAccessible(page, 'parcels as Seeduwa officer');
    } finally {
      await seeduwa.context.close();
    }
    const refused = await (
      await apiAs(rig(), 'seeduwa-officer')
    ).call('POST', '/order/record/parcel', [
      {
        table_name: 'blendsheet',
        barcode: flow.labels[0]!.split(':')[1],
        request_code: flow.requests[0],
        shipment_code: 1,
        schedule_code: scheduleCode,
        reduced_by: '1',
      },
    ]);
    expect(refused.status).toBe(403);
  }, 240_000);
}
