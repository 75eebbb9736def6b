import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiAs, expectAccessible, openPage, pageAs, type ConsoleRig } from './harness.js';
import { status } from './page-steps.js';
import { screenshot } from './screenshots.js';
import { SyncTarget } from './sync-target.js';

const SYNC = '/api/v1/sync/api/sync';

type Admin = Awaited<ReturnType<typeof apiAs>>;

/** Routes sync's own request events of one kind to the webhook target at `path`. */
async function configure(admin: Admin, name: string, kind: string, url: string, spec: Record<string, unknown> = {}) {
  const response = await admin.call('POST', `${SYNC}/configurations`, {
    config_name: name,
    source_system: 'sync',
    target_system: name,
    entity_type: kind,
    configuration: { eventTypes: [`${kind}.sync_requested`], target: { kind: 'webhook', url }, ...spec },
    max_retries: 3,
    retry_delay_seconds: 1,
  });
  expect(response.status).toBe(201);
}

/** A sync request of one entity type, captured as an event and routed like any other; answers the event id. */
async function request(admin: Admin, body: Record<string, unknown>): Promise<string> {
  const response = await admin.call('POST', `${SYNC}/trigger`, body);
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function deliveryOf(admin: Admin, eventId: string, target: string): Promise<Record<string, unknown>> {
  const response = await admin.call('GET', `${SYNC}/status?eventId=${eventId}&target=${target}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Array<Record<string, unknown>> }).items[0] ?? {};
}

async function show(page: Page, view: string): Promise<void> {
  await page.getByRole('group', { name: 'Show' }).getByRole('button', { name: view }).click();
  await page.getByRole('heading', { level: 3, name: view }).waitFor();
}

export function syncCases(rig: () => ConsoleRig): void {
  const target = new SyncTarget();
  let admin: Admin;

  beforeAll(async () => {
    await target.start();
    admin = await apiAs(rig(), 'admin');
    await configure(admin, 'console-refuser', 'inventory', `${target.url}/refuse`);
    await configure(admin, 'console-holder', 'customer', `${target.url}/records`, {
      mappingMode: 'pick',
      fieldMappings: { entityId: 'id', 'data.name': 'name', 'data.credit_limit': 'credit_limit' },
      conflict: { strategy: 'manual' },
    });
  });
  afterAll(() => target.close());

  it('replays a dead letter from the page, and sync delivers it', async () => {
    target.refusing = true;
    const eventId = await request(admin, { entityType: 'inventory', data: { warehouse: 'Grandpass' } });
    await expect.poll(async () => (await deliveryOf(admin, eventId, 'console-refuser')).sync_status, { timeout: 20_000 }).toBe('failed');

    const { context, page } = await pageAs(rig(), 'admin');
    try {
      await openPage(page, 'Sync monitoring');
      await page
        .locator('[data-state="failed"]')
        .filter({ hasText: /^[1-9]/ })
        .waitFor();
      await page.getByRole('figure', { name: 'Delivered per flow' }).waitFor();
      await expectAccessible(page, 'sync monitoring overview');
      await screenshot(page, 'sync-overview');

      await page.getByRole('button', { name: 'Open the list of dead letter deliveries' }).click();
      await page.getByLabel('Target').fill('console-refuser');
      await page.getByRole('button', { name: 'Show', exact: true }).click();
      const replay = page.getByRole('button', { name: 'Replay inventory.sync_requested to console-refuser' });
      await replay.first().waitFor();
      // The server pages the deliveries: one pager under the list, not the table's own as well.
      expect(
        await page
          .getByRole('navigation')
          .filter({ hasText: /Page \d/ })
          .count(),
      ).toBe(1);
      await expectAccessible(page, 'sync dead letters');
      await screenshot(page, 'sync-dead-letters');

      target.refusing = false;
      await replay.first().click();
      await status(page, 'Sent again: 1 delivery.');
      await expect
        .poll(async () => (await deliveryOf(admin, eventId, 'console-refuser')).sync_status, { timeout: 20_000 })
        .toBe('completed');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('resolves a conflict field by field from the side-by-side values, and the target holds the chosen value', async () => {
    const id = `CUST-${Date.now()}`;
    target.records.set(id, { id, name: 'Held by the CRM', credit_limit: 900 });
    const eventId = await request(admin, { entityType: 'customer', entityId: id, data: { name: 'From the ERP', credit_limit: 100 } });
    await expect.poll(async () => (await deliveryOf(admin, eventId, 'console-holder')).sync_status, { timeout: 20_000 }).toBe('conflict');

    const { context, page } = await pageAs(rig(), 'admin');
    try {
      await openPage(page, 'Sync monitoring');
      await show(page, 'Conflicts');
      await page.getByRole('button', { name: `customer ${eventId}` }).click();
      const diff = page.getByRole('table', { name: /side by side/ });
      await diff.waitFor();
      // The fields that differ are marked in words, not by colour alone.
      expect(await diff.getByRole('row').filter({ hasText: 'differs' }).allTextContents()).toHaveLength(2);
      await page.getByLabel('Keep for credit_limit').selectOption('typed');
      await page.getByLabel('Value for credit_limit').fill('750');
      await page.getByLabel('Why this resolution').fill('Credit limit agreed with the customer by phone');
      await expectAccessible(page, 'sync conflict');
      await screenshot(page, 'sync-conflict');
      await page.getByRole('button', { name: 'Resolve and deliver' }).click();
      await status(page, 'Resolved: the chosen value is being delivered');

      await expect
        .poll(
          async () => {
            const response = await fetch(`${target.url}/records/${id}`);
            return response.json();
          },
          { timeout: 20_000 },
        )
        .toEqual({ id, name: 'From the ERP', credit_limit: 750 });
      expect((await deliveryOf(admin, eventId, 'console-holder')).sync_status).toBe('completed');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('lists the configurations and webhook sources, accessibly', async () => {
    const { context, page } = await pageAs(rig(), 'admin');
    try {
      await openPage(page, 'Sync monitoring');
      await show(page, 'Configurations');
      await page.getByRole('cell', { name: 'console-holder', exact: true }).waitFor();
      await expectAccessible(page, 'sync configurations');
      await show(page, 'Webhook sources');
      await page.getByRole('status').filter({ hasText: 'Loading' }).waitFor({ state: 'detached' });
      await expectAccessible(page, 'sync webhook sources');
    } finally {
      await context.close();
    }
  }, 60_000);
}
