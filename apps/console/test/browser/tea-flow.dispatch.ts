import { expect } from 'vitest';
import { expectOnlyPages } from './group-pages.js';
import { apiAs, openPage, pageAs, type ConsoleRig } from './harness.js';
import type { KioskRig } from './kiosk-rig.js';
import { connectBridge } from './kiosk-steps.js';
import { filterTable, status } from './page-steps.js';
import { REQUESTED_KG } from './tea-flow.orders.js';
import { read, shipmentStatus, TEA, untilShipment, type TeaFlow } from './tea-flow.js';

const TRADER_BATCHES = '/api/v1/processing/app/trader/blendsheet/batch';

async function traderStatusIs(rig: ConsoleRig, batch: string, status: string): Promise<boolean> {
  const rows = await read<Array<{ item_code: string }>>(
    await apiAs(rig, 'trader-officer'),
    'GET',
    `${TRADER_BATCHES}?trader_status=${status}`,
  );
  return rows.some((row) => row.item_code === batch);
}

/** Seeduwa asks the traders about the batch on the Trader queue page; a trader allows it there. */
export async function traderReview(rig: ConsoleRig, flow: TeaFlow): Promise<void> {
  const seeduwa = await pageAs(rig, 'SEEDUWA-OFFICER');
  try {
    await openPage(seeduwa.page, 'Trader queue');
    await seeduwa.page.getByRole('button', { name: `Ask traders, batch ${flow.batch}` }).click();
    await status(seeduwa.page, `Batch ${flow.batch}: Waiting for a trader.`);
  } finally {
    await seeduwa.context.close();
  }
  expect(await traderStatusIs(rig, flow.batch!, 'TRADER_REQUESTED')).toBe(true);

  const trader = await pageAs(rig, 'TRADER-OFFICER');
  try {
    await expectOnlyPages(trader.page, 'TRADER-OFFICER');
    await openPage(trader.page, 'Trader queue');
    await trader.page.getByRole('button', { name: `Allow, batch ${flow.batch}` }).click();
    await status(trader.page, `Batch ${flow.batch}: Allowed.`);
  } finally {
    await trader.context.close();
  }
  expect(await traderStatusIs(rig, flow.batch!, 'TRADER_ALLOWED')).toBe(true);
}

/** The Seeduwa officer marks the shipment ready on the Shipments page. */
export async function markReady(rig: ConsoleRig, flow: TeaFlow): Promise<void> {
  const key = `${flow.request}/1`;
  const { context, page } = await pageAs(rig, 'SEEDUWA-OFFICER');
  try {
    await openPage(page, 'Shipments');
    await filterTable(page, TEA.order);
    await page.getByRole('button', { name: key, exact: true }).click();
    const detail = page.getByRole('region', { name: new RegExp(`Shipment ${key}`) });
    await detail.getByRole('button', { name: 'Ready to ship' }).click();
    await status(page, 'Marked ready to ship.');
    await expect.poll(() => detail.textContent()).toContain('Now: Ready to ship');
  } finally {
    await context.close();
  }
  expect(await shipmentStatus(rig, flow.request!)).toBe('ORDER_READY');
}

/** On the Dispatch kiosk: the two output bags scanned onto the cart, the vehicle typed, the load sent. */
export async function dispatchLoad(rig: KioskRig, flow: TeaFlow): Promise<void> {
  const officer = await apiAs(rig, 'seeduwa-officer');
  // Processing learns of the ready shipment from orders through the sync service before it offers it.
  await expect
    .poll(
      async () =>
        (await read<Array<{ request_code: number | string }>>(officer, 'GET', '/app/shipment')).map((row) => Number(row.request_code)),
      {
        timeout: 30_000,
        interval: 250,
      },
    )
    .toContain(flow.request);
  const { context, page } = await pageAs(rig, 'SEEDUWA-OFFICER');
  try {
    await openPage(page, 'Dispatch');
    await connectBridge(page, rig.bridgeUrl);
    const pick = page.getByRole('button', { name: `Shipment ${flow.request}/1 ` });
    expect(await pick.textContent()).toContain(`still to load ${REQUESTED_KG}.00 kg`);
    await pick.click();
    const cart = page.getByRole('list', { name: 'Bags in the cart' }).getByRole('listitem');
    for (const [index, label] of flow.outputLabels.entries()) {
      await rig.peers.scanner.send(`${label}\r\n`);
      await cart.nth(index).waitFor();
    }
    await page.getByText(`Quantity ${REQUESTED_KG}.00 kg, in the cart ${REQUESTED_KG}.00 kg.`).waitFor();
    await page.getByLabel('Vehicle number').fill(TEA.vehicle);
    await page.getByRole('button', { name: 'Dispatch' }).click();
    await status(page, `Shipment ${flow.request}/1 dispatched on ${TEA.vehicle}: 2 bags, ${REQUESTED_KG}.00 kg.`);
  } finally {
    await context.close();
  }
  for (const label of flow.outputLabels)
    expect(await read(officer, 'GET', `/app/scan?table_name=blendsheet&barcode=${label.split(':')[1]}`)).toMatchObject({
      status: 'DISPATCHED',
    });
  await untilShipment(rig, flow.request!, 'SHIPMENT_DISPATCHED');
}
