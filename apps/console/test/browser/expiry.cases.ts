import { expect, it } from 'vitest';
import { apiAs, DEMO_PASSWORD, openPage, pageAs, type ConsoleRig } from './harness.js';
import { screenshot } from './screenshots.js';

export function expiryCases(rig: () => ConsoleRig): void {
  it('a session that ends mid-form asks to sign in again and then sends the form once, as filled', async () => {
    const { context, page } = await pageAs(rig(), 'GRANDPASS-OFFICER');
    try {
      await openPage(page, 'Order requests');
      const form = page.getByRole('form', { name: 'Request material' });
      // The seeded demo plan: it still allows standard requests.
      await form.getByLabel('Plan', { exact: true }).selectOption('DEMO-ORD-0001');
      await form.getByLabel('Quantity (kg)').fill('7.25');
      await form.getByLabel('Note').fill('Typed before the session ended');

      // Every token of the officer is revoked (as an administrator would): access and refresh alike.
      const admin = await apiAs(rig(), 'admin');
      const officer = await apiAs(rig(), 'grandpass-officer');
      expect((await admin.call('POST', `/api/v1/admin/users/${officer.userId}/revoke-tokens`)).status).toBe(200);

      await form.getByRole('button', { name: 'Send request' }).click();
      const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
      await dialog.waitFor();
      expect(await dialog.getByLabel('User name').inputValue()).toBe('grandpass-officer');
      await screenshot(page, 'session-ended');
      await dialog.getByLabel('Password').fill(DEMO_PASSWORD);
      await dialog.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('main').textContent(), { timeout: 20_000 }).toMatch(/Request \d+ sent\./);
      await dialog.waitFor({ state: 'hidden' });

      const fresh = await apiAs(rig(), 'grandpass-officer');
      const requests = (await (await fresh.call('GET', '/order')).json()) as Array<{ comments: string | null; requirement: string }>;
      const sent = requests.filter((request) => request.comments === 'Typed before the session ended');
      expect(sent).toHaveLength(1);
      expect(sent[0]!.requirement).toMatch(/^7\.25/);
    } finally {
      await context.close();
    }
  }, 120_000);
}
