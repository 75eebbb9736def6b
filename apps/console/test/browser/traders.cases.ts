import { expect, it } from 'vitest';
import { expectOnlyPages } from './group-pages.js';
import { apiAs, expectAccessible, openPage, pageAs, type ConsoleRig } from './harness.js';
import { seededFlow } from './mtp-seed.js';
import { screenshot } from './screenshots.js';

const BATCHES = '/api/v1/processing/app/trader/blendsheet/batch';

async function statusOf(rig: ConsoleRig, itemCode: string): Promise<string | undefined> {
  const trader = await apiAs(rig, 'trader-officer');
  for (const status of ['TRADER_PENDING', 'TRADER_REQUESTED', 'TRADER_ELEVATED', 'TRADER_ALLOWED', 'TRADER_BLOCKED']) {
    const rows = (await (await trader.call('GET', `${BATCHES}?trader_status=${status}`)).json()) as Array<{ item_code: string }>;
    if (rows.some((row) => row.item_code === itemCode)) return status;
  }
  return undefined;
}

/**
 * The trader review through the page, each step by its group: Seeduwa asks, a trader allows one
 * batch and sends another up, the trader supervisor blocks that one. Each sees only its buttons.
 */
export function traderCases(rig: () => ConsoleRig): void {
  it('Seeduwa asks, the trader allows or sends up, the supervisor decides; each group sees only its buttons', async () => {
    const flow = await seededFlow(rig());

    const seeduwa = await pageAs(rig(), 'SEEDUWA-OFFICER');
    try {
      const page = seeduwa.page;
      await openPage(page, 'Trader queue');
      const ask = page.getByRole('button', { name: `Ask traders, batch ${flow.pending.item_code}` });
      await ask.click();
      await page
        .getByRole('status')
        .filter({ hasText: `Batch ${flow.pending.item_code}: Waiting for a trader.` })
        .waitFor();
      expect(await page.getByRole('button', { name: /^(Allow|Block|Send to supervisor),/ }).count()).toBe(0);
    } finally {
      await seeduwa.context.close();
    }
    expect(await statusOf(rig(), flow.pending.item_code)).toBe('TRADER_REQUESTED');

    const trader = await pageAs(rig(), 'TRADER-OFFICER');
    try {
      const page = trader.page;
      await expectOnlyPages(page, 'TRADER-OFFICER');
      await openPage(page, 'Trader queue');
      expect(await page.getByLabel('Show batches').inputValue()).toBe('TRADER_REQUESTED');
      await page.getByRole('row').filter({ hasText: flow.toAllow.item_code }).waitFor();
      await expectAccessible(page, 'trader queue as trader');
      await screenshot(page, 'trader-queue');
      await page.getByRole('button', { name: `Allow, batch ${flow.toAllow.item_code}` }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Batch ${flow.toAllow.item_code}: Allowed.` })
        .waitFor();
      await page.getByRole('button', { name: `Send to supervisor, batch ${flow.toElevate.item_code}` }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Batch ${flow.toElevate.item_code}: Sent to the trader supervisor.` })
        .waitFor();
      await page.getByRole('row').filter({ hasText: flow.toElevate.item_code }).waitFor({ state: 'detached' });
      // What was sent up is the supervisor's to decide: the trader sees it without buttons.
      await page.getByLabel('Show batches').selectOption('TRADER_ELEVATED');
      await page.getByRole('row').filter({ hasText: flow.toElevate.item_code }).waitFor();
      expect(await page.getByRole('button', { name: new RegExp(`batch ${flow.toElevate.item_code}$`) }).count()).toBe(0);
    } finally {
      await trader.context.close();
    }
    expect(await statusOf(rig(), flow.toAllow.item_code)).toBe('TRADER_ALLOWED');
    expect(await statusOf(rig(), flow.toElevate.item_code)).toBe('TRADER_ELEVATED');

    const supervisor = await pageAs(rig(), 'TRADER-SUPERVISOR');
    try {
      const page = supervisor.page;
      await openPage(page, 'Trader queue');
      expect(await page.getByLabel('Show batches').inputValue()).toBe('TRADER_ELEVATED');
      expect(await page.getByRole('button', { name: `Send to supervisor, batch ${flow.toElevate.item_code}` }).count()).toBe(0);
      await page.getByRole('button', { name: `Block, batch ${flow.toElevate.item_code}` }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Batch ${flow.toElevate.item_code}: Blocked.` })
        .waitFor();
      await expectAccessible(page, 'trader queue as supervisor');
      // The trader's own queue holds no button for the supervisor either.
      await page.getByLabel('Show batches').selectOption('TRADER_REQUESTED');
      await page.getByRole('row').filter({ hasText: flow.pending.item_code }).waitFor();
      expect(await page.getByRole('button', { name: `Allow, batch ${flow.pending.item_code}` }).count()).toBe(0);
    } finally {
      await supervisor.context.close();
    }
    expect(await statusOf(rig(), flow.toElevate.item_code)).toBe('TRADER_BLOCKED');

    // What the page does not offer, the server refuses: the supervisor may not decide a trader's batch.
    const api = await apiAs(rig(), 'trader-supervisor');
    const refused = await api.call('PUT', BATCHES, { ...flow.pending, trader_status: 'TRADER_ALLOWED' });
    expect(refused.status).toBe(403);
    expect(await statusOf(rig(), flow.pending.item_code)).toBe('TRADER_REQUESTED');
  }, 240_000);
}
