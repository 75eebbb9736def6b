import { expect } from 'vitest';
import { expectOnlyPages } from './group-pages.js';
import { apiAs, openPage, pageAs, type ConsoleRig } from './harness.js';
import { status, wedgeScan } from './page-steps.js';
import { REQUESTED_KG } from './tea-flow.orders.js';
import { read, TEA, untilShipment, type TeaFlow } from './tea-flow.js';

/** What the box-filling machine fills from the first output bag. */
export const PARCEL_KG = '12.50';

/** The gate checks the vehicle's bags by scanning and accepts the load. */
export async function acceptAtGate(rig: ConsoleRig, flow: TeaFlow): Promise<void> {
  const { context, page } = await pageAs(rig, 'GRANDPASS-GATEPASS');
  try {
    await expectOnlyPages(page, 'GRANDPASS-GATEPASS');
    await openPage(page, 'Gatepass');
    await expect.poll(() => page.getByRole('row').filter({ hasText: TEA.vehicle }).textContent()).toContain(`${REQUESTED_KG}.00 kg`);
    await page.getByRole('button', { name: TEA.vehicle, exact: true }).click();
    const check = page.getByRole('region', { name: `Vehicle ${TEA.vehicle}` });
    for (const [index, label] of flow.outputLabels.entries()) {
      await wedgeScan(page, label);
      await check.getByText(`${index + 1} of 2 bags checked.`).waitFor();
    }
    await check.getByLabel('Remarks').fill('Seals intact');
    await check.getByRole('button', { name: 'Accept and make gatepass' }).click();
    const gatepass = page.getByRole('article', { name: `Gatepass: vehicle ${TEA.vehicle}` });
    await gatepass.waitFor();
    expect(await gatepass.textContent()).toContain(`2 bag(s), ${REQUESTED_KG}.00 kg`);
  } finally {
    await context.close();
  }
  await untilShipment(rig, flow.request!, 'SHIPMENT_ACCEPTED');
}

/** The planning officer schedules box filling for the order. */
export async function scheduleFilling(rig: ConsoleRig, flow: TeaFlow): Promise<void> {
  const { context, page } = await pageAs(rig, 'GRANDPASS-OFFICER');
  try {
    await openPage(page, 'Production schedules');
    const form = page.getByRole('form', { name: 'Schedule box filling' });
    await form.getByLabel('Day to fill').fill(TEA.scheduleDayTyped);
    await form.getByLabel('Plan', { exact: true }).selectOption(TEA.order);
    await form.getByLabel('Shift').selectOption('DAY');
    await form.getByLabel('Section').fill(TEA.section);
    await form.getByLabel('Quantity (kg)').fill('40');
    await form.getByRole('button', { name: 'Add to schedule' }).click();
    await status(page, 'Scheduled.');
  } finally {
    await context.close();
  }
  const schedules = await read<Array<{ schedule_code: number; section: string; order_code: string }>>(
    await apiAs(rig, 'grandpass-officer'),
    'GET',
    `/order/schedule?schedule_date=${TEA.scheduleDay}`,
  );
  const made = schedules.filter((row) => row.section === TEA.section);
  expect(made.map((row) => row.order_code)).toEqual([TEA.order]);
  flow.schedule = made[0]!.schedule_code;
}

/** The box-filling machine records a parcel filled from the first received bag. */
export async function fillParcel(rig: ConsoleRig, flow: TeaFlow): Promise<void> {
  const { context, page } = await pageAs(rig, 'GRANDPASS-DEV-MACHINE');
  try {
    await expectOnlyPages(page, 'GRANDPASS-DEV-MACHINE');
    await openPage(page, 'Parcels');
    const chooser = page.getByLabel('Schedule', { exact: true });
    await chooser.locator(`option[value="${flow.schedule}"]`).waitFor({ state: 'attached' });
    await chooser.selectOption(String(flow.schedule));
    const form = page.getByRole('form', { name: 'Fill boxes from a bag' });
    await form.getByLabel('Received shipment').selectOption(`${flow.request}/1`);
    await form.getByLabel('Bag').fill(flow.outputLabels[0]!);
    await form.getByLabel('Filled (kg)').fill(PARCEL_KG);
    await form.getByRole('button', { name: 'Record parcel' }).click();
    await status(page, `${PARCEL_KG} kg of bag`);
  } finally {
    await context.close();
  }
  const parcels = await read<Array<{ barcode: string; amount: string }>>(
    await apiAs(rig, 'grandpass-dev-machine'),
    'GET',
    `/order/record/parcel?schedule_code=${flow.schedule}`,
  );
  expect(parcels.map((parcel) => [`blendsheet:${parcel.barcode}`, Number(parcel.amount)])).toEqual([
    [flow.outputLabels[0], Number(PARCEL_KG)],
  ]);
}
