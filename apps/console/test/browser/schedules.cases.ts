import { expect, it } from 'vitest';
import { apiAs, expectAccessible, openPage, pageAs, type ConsoleRig } from './harness.js';
import { screenshot } from './screenshots.js';

const DAY = '2026-04-01';

export function scheduleCases(rig: () => ConsoleRig): void {
  it('the officer schedules box filling, the machine operator marks it filled', async () => {
    const officer = await pageAs(rig(), 'GRANDPASS-OFFICER');
    try {
      const page = officer.page;
      await openPage(page, 'Production schedules');
      const form = page.getByRole('form', { name: 'Schedule box filling' });
      await form.getByLabel('Day to fill').fill(DAY);
      await form.getByLabel('Plan', { exact: true }).selectOption('DEMO-ORD-0001');
      await form.getByLabel('Shift').selectOption('NIGHT');
      await form.getByLabel('Section').fill('Line 2');
      await form.getByLabel('Quantity (kg)').fill('250');
      await form.getByRole('button', { name: 'Add to schedule' }).click();
      await page.getByRole('status').filter({ hasText: 'Scheduled.' }).waitFor();
      await page.getByLabel('Day (empty for every day)').fill(DAY);
      const row = page.getByRole('row').filter({ hasText: 'Line 2' });
      await expect.poll(() => row.textContent()).toContain('250.00 kg');
      expect(await row.textContent()).toContain('Night');
      expect(await page.getByRole('button', { name: /Mark filled, schedule/ }).count()).toBe(0);
      await expectAccessible(page, 'schedules as officer');
      await screenshot(page, 'schedules');
    } finally {
      await officer.context.close();
    }

    const machine = await pageAs(rig(), 'GRANDPASS-DEV-MACHINE');
    try {
      const page = machine.page;
      await openPage(page, 'Production schedules');
      expect(await page.getByRole('form', { name: 'Schedule box filling' }).count()).toBe(0);
      await page.getByLabel('Day (empty for every day)').fill(DAY);
      const row = page.getByRole('row').filter({ hasText: 'Line 2' });
      await row.getByRole('button', { name: /Mark filled, schedule \d+/ }).click();
      await expect.poll(() => row.textContent()).toContain('Filled');
      await expectAccessible(page, 'schedules as box-filling machine');
    } finally {
      await machine.context.close();
    }

    // The officer is not shown "Mark filled", and the server refuses it to the officer too.
    const api = await apiAs(rig(), 'grandpass-officer');
    const schedules = (await (await api.call('GET', `/order/schedule?schedule_date=${DAY}`)).json()) as Array<{ schedule_code: number }>;
    expect((await api.call('PUT', '/order/schedule', [{ schedule_code: schedules[0]!.schedule_code }])).status).toBe(403);
  }, 180_000);
}
