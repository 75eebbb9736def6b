import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { apiAs, expectAccessible, openPage, pageAs, type ConsoleRig } from './harness.js';
import { status } from './page-steps.js';
import { screenshot } from './screenshots.js';

/** The platform administrator's demo user. */
const ADMIN = 'admin';

const dialog = (page: Page, name: string | RegExp) => page.getByRole('dialog', { name });

/**
 * The gateway's admin pages against the real gateway: what is done on the page holds for the
 * next real call (a new key works, a revoked key or signed-out user is refused).
 */
export function gatewayAdminCases(rig: () => ConsoleRig): void {
  it('creates an API key shown once, which calls the gateway, and revokes it so the next call is refused', async () => {
    const { context, page } = await pageAs(rig(), ADMIN);
    try {
      await openPage(page, 'API keys');
      await page.getByLabel('Owner', { exact: true }).selectOption({ label: 'grandpass-admin (Grandpass administrator)' });
      await page.getByLabel('Name', { exact: true }).fill('Plan reader');
      await page.getByRole('button', { name: 'Create key' }).click();

      const shown = dialog(page, 'API key Plan reader');
      const key = await shown.getByRole('textbox', { name: 'API key' }).inputValue();
      expect(key).toMatch(/^trk_[0-9a-f]{32}_/);
      expect(await shown.getByText(`It begins ${key.slice(0, 12)}…`).count()).toBe(1);
      await expectAccessible(page, 'a new API key, shown once');
      await screenshot(page, 'gateway-api-key-once');
      await shown.getByRole('button', { name: 'I have stored it' }).click();
      // Once closed (React renders the close after the click returns), the secret is nowhere in
      // the page or the browser's storage.
      const held = async () =>
        (await page.evaluate(
          'document.documentElement.outerHTML + JSON.stringify(localStorage) + JSON.stringify(sessionStorage)',
        )) as string;
      await expect.poll(held).not.toContain(key.slice(-43));

      const call = () => fetch(`${rig().origin}/order/plan`, { headers: { 'x-api-key': key } });
      expect((await call()).status).toBe(200);

      const row = page.getByRole('row').filter({ hasText: 'Plan reader' });
      await expect.poll(() => row.getByRole('cell').nth(1).textContent()).toBe(`${key.slice(0, 12)}…`);
      await screenshot(page, 'gateway-api-keys');
      await page.getByRole('button', { name: 'Revoke Plan reader' }).click();
      await dialog(page, 'Revoke Plan reader?').getByRole('button', { name: 'Revoke' }).click();
      await status(page, 'Revoked.');
      const refused = await call();
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { code: string }).code).toBe('API_KEY_INVALID');
      await expect.poll(() => row.getByRole('cell').nth(5).textContent()).toBe('Revoked');
    } finally {
      await context.close();
    }
  });

  it("signs a user out everywhere from the page, and that user's next call is refused", async () => {
    const trader = await apiAs(rig(), 'trader-supervisor');
    expect((await trader.call('GET', '/api/v1/auth/profile')).status).toBe(200);
    const { context, page } = await pageAs(rig(), ADMIN);
    try {
      await openPage(page, 'Platform users');
      await page.getByLabel('Name, user name or e-mail').fill('trader-supervisor');
      await page.getByRole('button', { name: 'Find users' }).click();
      await page.getByRole('table').getByText('Platform users: 1–1 of 1').waitFor();
      await screenshot(page, 'gateway-platform-users');
      await page.getByRole('button', { name: 'Manage trader-supervisor' }).click();
      const manage = dialog(page, 'Manage trader-supervisor');
      await manage.getByRole('button', { name: 'Sign out everywhere' }).click();
      await manage
        .getByRole('status')
        .filter({ hasText: /Signed out everywhere: [1-9]\d* sessions ended/ })
        .waitFor();
      await expectAccessible(page, 'managing a platform user');
      await screenshot(page, 'gateway-manage-user');

      const refused = await trader.call('GET', '/api/v1/auth/profile');
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { code: string }).code).toBe('TOKEN_REVOKED');
    } finally {
      await context.close();
    }
  });
}
