import { expect, it } from 'vitest';
import { apiAs, expectAccessible, freshPage, navTitles, pageAs, signIn, type ConsoleRig } from './harness.js';
import { PAGES_OF } from './group-pages.js';
import { screenshot } from './screenshots.js';

export function roleCases(rig: () => ConsoleRig): void {
  it('signs in, survives a reload without storing the token, and signs out for good', async () => {
    const { context, page } = await freshPage(rig());
    try {
      await expectAccessible(page, 'sign-in page');
      await screenshot(page, 'sign-in');
      await signIn(page, 'seeduwa-officer', 'not-the-password');
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('user name or password is not right');

      await signIn(page, 'seeduwa-officer');
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      const cookies = await context.cookies();
      const session = cookies.find((cookie) => cookie.name === 'tributary_session');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth/session' });
      const stored = (await page.evaluate('JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie')) as string;
      expect(stored).not.toMatch(/eyJ|tributary_session/);

      await page.reload();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      expect(await page.getByText('Seeduwa officer', { exact: true }).count()).toBe(1);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      expect((await context.cookies()).some((cookie) => cookie.name === 'tributary_session')).toBe(false);
      await page.reload();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it.each(Object.entries(PAGES_OF))(
    '%s sees only its own pages, each accessible',
    async (group, titles) => {
      const { context, page } = await pageAs(rig(), group === 'administrator' ? 'admin' : group);
      try {
        expect(await navTitles(page)).toEqual(titles);
        if (titles.length === 0) expect(await page.getByText('Your group has no pages here').count()).toBe(1);
        // A page the group may not have is not reached by typing its address either.
        await page.goto(`${rig().origin}/#/users`);
        await page.getByRole('button', { name: 'Sign out' }).waitFor();
        if (!titles.includes('Users')) expect(await page.getByRole('heading', { name: 'Users and groups' }).count()).toBe(0);
        for (const title of titles) {
          await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: title, exact: true }).click();
          await page.getByRole('main').getByRole('heading', { level: 2 }).first().waitFor();
          await page.getByRole('status').filter({ hasText: 'Loading' }).waitFor({ state: 'detached' });
          await expectAccessible(page, `${title} as ${group}`);
        }
      } finally {
        await context.close();
      }
      // axe over every page of the group: the planning officer has five.
    },
    150_000,
  );

  it('the server refuses what a group is not shown', async () => {
    const gatepass = await apiAs(rig(), 'grandpass-gatepass');
    const ready = await gatepass.call('POST', '/order/shipment/event', [{ request_code: 1, shipment_code: 1, status: 'ORDER_READY' }]);
    expect(ready.status).toBe(403);
    const plans = await gatepass.call('GET', '/order/plan');
    expect(plans.status).toBe(403);
    const trader = await apiAs(rig(), 'trader-officer');
    expect((await trader.call('GET', '/admin/user')).status).toBe(403);
    expect((await trader.call('GET', '/order')).status).toBe(403);
  });
}
