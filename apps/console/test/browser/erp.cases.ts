import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { apiAs, expectAccessible, freshPage, navTitles, openPage, signIn, type ConsoleRig } from './harness.js';
import { screenshot } from './screenshots.js';

/** The desk's pages in the order the navigation lists them. */
export const DESK_PAGES = ['Customer segments', 'Batches and expiry', 'Reorder points', 'Pricing rules', 'Pricing log'];

const DESK_PASSWORD = 'Desk-Console-Pass-2026!';
const MANAGER = 'desk-manager';
const ANALYST = 'desk-analyst';

/** The plant's calendar day `days` from now (Asia/Colombo), as the erp counts expiry. */
function colomboDay(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Colombo' }).format(Date.now() + days * 86_400_000);
}

/** A manager and an analyst of the confectionery business, made as the platform administrator makes them. */
async function ensureDeskUsers(rig: ConsoleRig): Promise<void> {
  const admin = await apiAs(rig, 'admin');
  for (const [username, role] of [
    [MANAGER, 'manager'],
    [ANALYST, 'analyst'],
  ] as const) {
    const made = await admin.call('POST', '/api/v1/admin/users', {
      username,
      email: `${username}@example.com`,
      password: DESK_PASSWORD,
      fullName: `Desk ${role}`,
      role,
    });
    expect([201, 409]).toContain(made.status);
  }
}

async function deskPage(rig: ConsoleRig, username: string) {
  const opened = await freshPage(rig);
  await signIn(opened.page, username, DESK_PASSWORD);
  await opened.page.getByRole('button', { name: 'Sign out' }).waitFor();
  return opened;
}

async function settled(page: Page): Promise<void> {
  await page
    .getByRole('status')
    .filter({ hasText: /^Loading/ })
    .first()
    .waitFor({ state: 'detached' });
}

const quoteTotal = (page: Page) => page.getByTestId('quote-total').textContent();

export function erpCases(rig: () => ConsoleRig): void {
  it('a manager edits a pricing rule, sees the refusal at the field, then the new quote in the simulator, as the API gives it', async () => {
    await ensureDeskUsers(rig());
    const api = await apiAs(rig(), MANAGER, DESK_PASSWORD);
    const made = await api.call('POST', '/api/v1/erp/pricing/rules', {
      rule_code: 'DESK-MYSORE',
      rule_name: 'Desk test: Mysore Pak',
      rule_type: 'Promotional',
      priority: 50,
      valid_from: '2020-01-01',
      apply_on: 'Item Code',
      items: ['MYSORE-PAK-500G'],
      applicable_for: 'All Customers',
      discount_percentage: '10',
      stacking: 'Exclusive',
    });
    expect(made.status).toBe(201);

    const { context, page } = await deskPage(rig(), MANAGER);
    try {
      expect(await navTitles(page)).toEqual(DESK_PAGES);
      await openPage(page, 'Pricing rules');
      const quote = page.getByRole('form', { name: 'Quote' });
      await quote.getByLabel('Price for').selectOption({ label: 'Anand Sweets Retail' });
      await quote.getByLabel('Item, line 1').selectOption({ label: 'Mysore Pak 500 g' });
      await quote.getByLabel('Quantity, line 1').fill('2');
      await quote.getByRole('button', { name: 'Quote' }).click();
      // 2 × 320 less 10%: the exclusive rule stops the sweets volume tier.
      await expect.poll(() => quoteTotal(page)).toContain('total 576.00');
      const line = page.getByRole('region', { name: /Line 1: 2 × MYSORE-PAK-500G/ });
      expect(await line.getByRole('row', { name: /VOLUME-SWEETS/ }).textContent()).toContain('exclusive rule DESK-MYSORE applied');
      await expectAccessible(page, 'pricing rules with a quote');

      await page.getByRole('button', { name: 'DESK-MYSORE', exact: true }).click();
      const editor = page.getByRole('form', { name: 'Edit DESK-MYSORE' });
      const discount = editor.getByLabel('Discount (%)');
      await discount.fill('150');
      await editor.getByRole('button', { name: 'Save rule' }).click();
      await expect.poll(() => discount.getAttribute('aria-invalid')).toBe('true');
      expect(await editor.getByText(/^Not accepted: a percentage from 0 to 100/).count()).toBe(1);
      await expectAccessible(page, 'rule editor with a refused field');
      await screenshot(page, 'erp-pricing');

      await discount.fill('25');
      await editor.getByRole('button', { name: 'Save rule' }).click();
      await editor.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
      // The open simulator asks again by itself once the rule has changed.
      await expect.poll(() => quoteTotal(page)).toContain('total 480.00');

      const items = [{ item_code: 'MYSORE-PAK-500G', qty: '2' }];
      const explained = await api.call('POST', '/api/v1/erp/pricing/explain', { customer: 'CUST-ANAND-RETAIL', items });
      expect(explained.status).toBe(200);
      expect(await explained.json()).toMatchObject({ totalAfterDiscount: '480.00', lines: [{ winner: 'DESK-MYSORE', final_rate: '240' }] });
      // A real quote: priced by the same evaluator, and logged.
      const calculated = await api.call('POST', '/api/v1/erp/pricing/calculate', { customer: 'CUST-ANAND-RETAIL', items });
      expect(((await calculated.json()) as { totalAfterDiscount: string }).totalAfterDiscount).toBe('480.00');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('a batch expiring in three days is on the Critical card, opens with its ledger, and is picked first', async () => {
    await ensureDeskUsers(rig());
    const api = await apiAs(rig(), MANAGER, DESK_PASSWORD);
    const received = await api.call('POST', '/api/v1/erp/batches', {
      batch_id: 'DESK-GJ-3D',
      item: 'GULAB-JAMUN-1KG',
      warehouse: 'Finished Goods - HD',
      qty: '40',
      manufacturing_date: colomboDay(-10),
      expiry_date: colomboDay(3),
    });
    expect([201, 409]).toContain(received.status);
    const board = (await (await api.call('GET', '/api/v1/erp/batches/expiring?within_days=3650')).json()) as {
      data: Array<{ alert_level: string }>;
    };
    const critical = board.data.filter((batch) => batch.alert_level === 'Critical').length;

    const { context, page } = await deskPage(rig(), MANAGER);
    try {
      await openPage(page, 'Batches and expiry');
      const card = page.getByRole('list', { name: 'Expiry board' }).getByRole('button', { name: /^Critical / });
      expect(await card.textContent()).toMatch(new RegExp(`^Critical ${critical} batch(es)?, \\d+ units$`));
      await card.click();
      expect(await card.getAttribute('aria-pressed')).toBe('true');
      expect(
        await page
          .getByRole('table', { name: /^Critical batches/ })
          .getByRole('row')
          .count(),
      ).toBe(critical + 1);
      await page.getByRole('button', { name: 'DESK-GJ-3D', exact: true }).click();
      const batch = page.getByRole('region', { name: 'Batch DESK-GJ-3D' });
      await expect.poll(() => batch.textContent()).toContain('Critical, 3 days');
      await expect.poll(() => batch.getByRole('table', { name: /^Movements/ }).textContent()).toContain('RECEIPT');

      const pick = page.getByRole('form', { name: 'FEFO pick preview' });
      await pick.getByLabel('Item').selectOption({ label: 'Gulab Jamun tin 1 kg' });
      await pick.getByLabel('Warehouse').selectOption('Finished Goods - HD');
      await pick.getByLabel('Quantity').fill('50');
      await pick.getByRole('button', { name: 'Preview pick' }).click();
      const plan = pick.getByRole('table').first();
      // The answer, or the refusal in words, before looking for the plan's rows.
      await expect.poll(() => pick.textContent()).toMatch(/picked in full|Not enough stock|Code /);
      expect(await pick.textContent()).toContain('Every line can be picked in full.');
      expect(await plan.locator('caption').textContent()).toMatch(/^Line 1: 50 × GULAB-JAMUN-1KG from Finished Goods - HD$/);
      // Soonest expiry first: all 40 of the new batch, then 10 of the demo batch that lasts 85 days.
      const rows = (await plan.locator('tbody tr').allTextContents()).join(' | ');
      expect(rows).toMatch(/^1DESK-GJ-3D\d\d\/\d\d\/\d{4}4040 \| 2GJ-DEMO-001\d\d\/\d\d\/\d{4}1060$/);
      await expectAccessible(page, 'batches and expiry with a batch open');
      await screenshot(page, 'erp-batches');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('every desk page is accessible; an analyst reads them and is offered no change', async () => {
    await ensureDeskUsers(rig());
    const api = await apiAs(rig(), MANAGER, DESK_PASSWORD);
    // A logged quote, so the log has a line of the sweets volume tier (12 units: 10% off).
    const logged = await api.call('POST', '/api/v1/erp/pricing/calculate', { items: [{ item_code: 'KAJU-KATLI-500G', qty: '12' }] });
    expect(((await logged.json()) as { totalAfterDiscount: string }).totalAfterDiscount).toBe('4860.00');
    const manager = await deskPage(rig(), MANAGER);
    try {
      for (const [title, shot] of [
        ['Customer segments', 'erp-segments'],
        ['Reorder points', 'erp-stock'],
        ['Pricing log', 'erp-pricing-log'],
      ] as const) {
        await openPage(manager.page, title);
        await settled(manager.page);
        if (title === 'Customer segments') {
          await manager.page.getByLabel('Customer', { exact: true }).selectOption({ label: 'Tech Park Corporate Gifting' });
          await manager.page.getByRole('table', { name: /^Assignment history/ }).waitFor();
        }
        if (title === 'Reorder points') {
          const form = manager.page.getByRole('form', { name: 'Work out reorder figures' });
          await form.getByLabel('Item').selectOption({ label: 'Kaju Katli 500 g' });
          await form.getByLabel('Warehouse').selectOption('Finished Goods - HD');
          await form.getByRole('button', { name: 'Work out' }).click();
          await manager.page.getByRole('region', { name: /How KAJU-KATLI-500G in Finished Goods - HD was worked out/ }).waitFor();
        }
        await settled(manager.page);
        await expectAccessible(manager.page, `${title} as a manager`);
        await screenshot(manager.page, shot);
      }
      const history = await manager.page.getByRole('table', { name: /^Applications/ }).textContent();
      expect(history).toContain('VOLUME-SWEETS');
    } finally {
      await manager.context.close();
    }

    const analyst = await deskPage(rig(), ANALYST);
    try {
      expect(await navTitles(analyst.page)).toEqual(DESK_PAGES);
      await openPage(analyst.page, 'Pricing rules');
      await analyst.page.getByRole('button', { name: 'VOLUME-SWEETS', exact: true }).click();
      expect(await analyst.page.getByRole('form', { name: /^Edit / }).count()).toBe(0);
      await openPage(analyst.page, 'Batches and expiry');
      await settled(analyst.page);
      expect(await analyst.page.getByRole('form', { name: 'FEFO pick preview' }).count()).toBe(0);
      await expectAccessible(analyst.page, 'batches and expiry as an analyst');
    } finally {
      await analyst.context.close();
    }
    const analystApi = await apiAs(rig(), ANALYST, DESK_PASSWORD);
    const refused = await analystApi.call('PATCH', '/api/v1/erp/pricing/rules/VOLUME-SWEETS', { priority: 11 });
    expect(refused.status).toBe(403);
  }, 150_000);
}
