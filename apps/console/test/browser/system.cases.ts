import { expect, it } from 'vitest';
import { expectAccessible, openPage, pageAs, type ConsoleRig } from './harness.js';
import { status } from './page-steps.js';
import { screenshot } from './screenshots.js';

const SERVICES = ['Gateway', 'Orders (tea plant)', 'Processing (tea plant)', 'ERP (confectionery)', 'Sync'];

export function systemCases(rig: () => ConsoleRig): void {
  it('shows every service and its database ready, as their readiness probes report', async () => {
    const { context, page } = await pageAs(rig(), 'admin');
    try {
      await openPage(page, 'System health');
      await status(page, `All ${SERVICES.length} services are ready.`);
      const rows = page.getByRole('table', { name: /Services/ }).getByRole('row');
      for (const service of SERVICES) {
        const row = rows.filter({ has: page.getByRole('cell', { name: service, exact: true }) });
        expect(await row.getByRole('cell').nth(1).textContent(), service).toContain('Ready');
        expect(await row.getByRole('cell').nth(2).textContent(), service).toContain('database: answers');
      }
      await expectAccessible(page, 'system health');
      await screenshot(page, 'system-health');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('charts the gateway requests by outcome and by route, with the figures as tables', async () => {
    const { context, page } = await pageAs(rig(), 'admin');
    try {
      await openPage(page, 'Gateway usage');
      const outcome = page.getByRole('figure', { name: 'Requests by outcome' });
      await outcome.waitFor();
      await page.getByRole('figure', { name: 'Requests by route' }).waitFor();
      // The chart's summary for a screen reader names the successes this session's sign-ins made.
      expect(await outcome.getByRole('img').getAttribute('aria-label')).toMatch(/Succeeded \(2xx\): [1-9]/);
      await outcome.getByText('as a table').click();
      expect(await outcome.getByRole('table').getByRole('row').count()).toBeGreaterThan(1);
      await expectAccessible(page, 'gateway usage');
      await screenshot(page, 'gateway-usage');
    } finally {
      await context.close();
    }
  }, 60_000);
}
