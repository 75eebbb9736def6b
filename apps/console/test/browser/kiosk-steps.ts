import type { Page } from 'playwright-core';
import { ADD_BAG_REPEATS } from '@tributary/devices';
import type { KioskRig } from './kiosk-rig.js';

/** Points the page at the rig's bridge through the page's own setting, and waits for every device. */
export async function connectBridge(page: Page, url: string): Promise<void> {
  const strip = page.getByRole('region', { name: 'Devices' });
  await page.getByText('Bridge address', { exact: true }).first().click();
  await page.getByLabel('Bridge address').fill(url);
  await page.getByRole('button', { name: 'Connect' }).click();
  for (const text of [
    'Device bridge: connected',
    'Scale: connected',
    'Scanner: connected',
    'Button box: connected',
    'Label printer: connected',
  ])
    await strip.getByText(text).waitFor();
}

/** The bytes the printer line got since `from`, once a whole ZPL job has arrived. */
export async function printedJob(rig: KioskRig, from: number): Promise<string> {
  const bytes = await rig.peers.printer.until((all) => all.subarray(from).toString('utf8').includes('^XZ'), 'a label on the printer line');
  return bytes.subarray(from).toString('utf8');
}

/**
 * One press of the button box's accept key: the box sends its five ADD_BAG in one burst. One
 * write, so a busy machine cannot spread them beyond the bridge's gap between presses.
 */
export async function pressAcceptButton(rig: KioskRig): Promise<void> {
  await rig.peers.button.send('ADD_BAG\r\n'.repeat(ADD_BAG_REPEATS));
}

/** One press of the button box's dispatch key: the box sends BAG_ADDED once (§7.2). */
export async function pressDispatchButton(rig: KioskRig): Promise<void> {
  await rig.peers.button.send('BAG_ADDED\r\n');
}

/** Waits for the LED answers the button line got since `from` (BAG_OK / BAG_NOT_OK lines). */
export async function buttonAnswers(rig: KioskRig, from: number, expected: string[]): Promise<void> {
  const wire = expected.map((answer) => `${answer}\r\n`).join('');
  await rig.peers.button.until((bytes) => bytes.subarray(from).toString('utf8') === wire, `${expected.join(', ')} on the button line`);
}

/** A steady reading on the scale line, shown on the page. */
export async function steadyWeight(rig: KioskRig, page: Page, kg: string): Promise<void> {
  await rig.peers.scale.send(`\x02S  ${kg}\r\n`);
  await page
    .getByRole('region', { name: 'Scale' })
    .locator('output')
    .filter({ hasText: `${kg} kg` })
    .waitFor();
}
