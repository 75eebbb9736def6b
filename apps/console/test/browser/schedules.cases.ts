import { expect, it } from 'vitest';
import { apiAs, expectAccessible, openPage, pageAs, type ConsoleRig } from './harness.js';
import { screenshot } from './screenshots.js';
import { expectExportMatchesTable } from './csv-export.js';

const DAY = '2026-04-01';
/** The same day as the plant types it: day first. Month first it would be the 4th of January. */
const TYPED = '01/04/2026';

export function scheduleCases(rig: () => ConsoleRig): void {
  it('the officer schedules box filling, the machine operator marks it filled', async () => {
    const officer = await pageAs(rig(), 'GRANDPASS-OFFICER');
    try {
      const page = officer.page;
      await openPage(page, 'Production schedules');
      const form = page.getByRole('form', { name: 'Schedule box filling' });
      // A month-first reading would be refused here (there is no month 31) or land on another day.
      const dayToFill = form.getByLabel('Day to fill');
      await dayToFill.fill('31/04/2026');
      await dayToFill.blur();
      await form.getByText('April 2026 has 30 days, so 31/04/2026 is not a date.').waitFor();
      expect(await dayToFill.getAttribute('aria-invalid')).toBe('true');
      // Keyboard: ↑ moves a valid day on by one, across the month's end.
      await dayToFill.fill('31/03/2026');
      await dayToFill.press('ArrowUp');
      expect(await dayToFill.inputValue()).toBe(TYPED);
      expect(await dayToFill.getAttribute('aria-invalid')).toBeNull();
      await form.getByLabel('Plan', { exact: true }).selectOption('DEMO-ORD-0001');
      await form.getByLabel('Shift').selectOption('NIGHT');
      await form.getByLabel('Section').fill('Line 2');
      await form.getByLabel('Quantity (kg)').fill('250');
      await form.getByRole('button', { name: 'Add to schedule' }).click();
      await page.getByRole('status').filter({ hasText: 'Scheduled.' }).waitFor();
      await page.getByLabel('Day (empty for every day)').fill(TYPED);
      const row = page.getByRole('row').filter({ hasText: 'Line 2' });
      await expect.poll(() => row.textContent()).toContain('250.00 kg');
      // What reached the service is the 1st of April.
      const saved = (await (
        await (await apiAs(rig(), 'grandpass-officer')).call('GET', `/order/schedule?schedule_date=${DAY}`)
      ).json()) as Array<{
        section: string;
        schedule_date: string;
      }>;
      expect(saved.filter((schedule) => schedule.section === 'Line 2').map((schedule) => schedule.schedule_date)).toEqual([DAY]);
      expect(await row.textContent()).toContain('Night');
      // The day reads day first on screen and in the export, which holds the rows as shown.
      expect(await row.textContent()).toContain(TYPED);
      const [header, ...rows] = await expectExportMatchesTable(page);
      expect(header).toEqual(['Day', 'Order', 'Shift', 'Section', 'Quantity', 'Received shipments', 'State']);
      expect(rows.find((cells) => cells[3] === 'Line 2')?.slice(0, 5)).toEqual([TYPED, 'DEMO-ORD-0001', 'Night', 'Line 2', '250.00 kg']);
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
      await page.getByLabel('Day (empty for every day)').fill(TYPED);
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
