import { expect } from 'vitest';
import { expectAccessible, openPage, pageAs, type ConsoleRig } from './harness.js';
import { trace, traceSide } from './page-steps.js';
import { screenshot } from './screenshots.js';
import { PARCEL_KG } from './tea-flow.grandpass.js';
import { TEA, type TeaFlow } from './tea-flow.js';

/** The planning officer traces the lot: up to its garden, down through the batch, shipment and vehicle to the parcel. */
export async function traceLot(rig: ConsoleRig, flow: TeaFlow): Promise<void> {
  const { context, page } = await pageAs(rig, 'GRANDPASS-OFFICER');
  try {
    await openPage(page, 'Traceability');
    await trace(page, TEA.lot);
    expect(await traceSide(page, 'Found').textContent()).toContain(`tealine lot ${TEA.lot}`);
    expect(await traceSide(page, 'Where it came from').textContent()).toContain(`garden ${TEA.garden}`);
    const down = (await traceSide(page, 'Where it went').textContent()) ?? '';
    for (const step of [
      `tealine ${TEA.lot} bag #1`,
      `tealine ${TEA.lot} bag #2`,
      `batch ${TEA.sheet}`,
      `shipment ${flow.request}/1 (${TEA.order})`,
      `vehicle ${TEA.vehicle}`,
      `parcel of blendsheet bag into schedule ${flow.schedule}`,
      // The server labels the schedule with its ISO day; the page reads it day first.
      `schedule ${flow.schedule} (${TEA.scheduleDayTyped} `,
    ])
      expect(down).toContain(step);
    expect(down).not.toContain(TEA.scheduleDay);
    const links = (await page.getByRole('region', { name: 'Links', exact: true }).textContent()) ?? '';
    expect(links).toContain('filled into');
    expect(links).toContain(`${PARCEL_KG} kg`);
    await expectAccessible(page, 'traceability of the whole flow');
    await screenshot(page, 'traceability-flow');
  } finally {
    await context.close();
  }
}
