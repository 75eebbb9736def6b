import { expect } from 'vitest';
import { expectOnlyPages } from './group-pages.js';
import { apiAs, openPage, pageAs, type ConsoleRig } from './harness.js';
import { filterTable, status } from './page-steps.js';
import { read, shipmentStatus, TEA, type TeaFlow } from './tea-flow.js';
import { planWorkbook } from './workbook.js';

/** The quantity Grandpass asks for: exactly what the two output bags will carry, so the load is the whole shipment. */
export const REQUESTED_KG = '85';

/** The Grandpass administrator uploads the plan as a sheet. */
export async function uploadPlan(rig: ConsoleRig): Promise<void> {
  const { context, page } = await pageAs(rig, 'GRANDPASS-ADMIN');
  try {
    await expectOnlyPages(page, 'GRANDPASS-ADMIN');
    await openPage(page, 'Production plans');
    await page
      .getByLabel('Excel plan (.xlsx)')
      .setInputFiles(await planWorkbook([[TEA.order, TEA.product, 'BLT00042', '500', '2026-05-01', '2026-05-20']]));
    await page.getByRole('button', { name: 'Upload' }).click();
    await status(page, 'Saved 1 plan(s).');
    await filterTable(page, TEA.order);
    await expect.poll(() => page.getByRole('row').filter({ hasText: TEA.order }).textContent()).toContain('500.00 kg');
  } finally {
    await context.close();
  }
  const plans = await read<Array<{ order_code: string }>>(await apiAs(rig, 'grandpass-admin'), 'GET', '/order/plan');
  expect(plans.map((plan) => plan.order_code)).toContain(TEA.order);
}

/** The planning officer asks Seeduwa for the blend, beyond the plan: a special request. */
export async function requestMaterial(rig: ConsoleRig, flow: TeaFlow): Promise<void> {
  const { context, page } = await pageAs(rig, 'GRANDPASS-OFFICER');
  try {
    await expectOnlyPages(page, 'GRANDPASS-OFFICER');
    await openPage(page, 'Order requests');
    const form = page.getByRole('form', { name: 'Request material' });
    await form.getByLabel('Plan', { exact: true }).selectOption(TEA.order);
    await form.getByLabel('Quantity (kg)').fill(REQUESTED_KG);
    await form.getByLabel('Note').fill('Extra for the Colombo auction sample');
    await form.getByLabel(/Special request/).check();
    await form.getByRole('button', { name: 'Send request' }).click();
    const sent = await status(page, 'sent for approval.');
    flow.request = Number(/Request (\d+) sent/.exec(sent)?.[1]);
  } finally {
    await context.close();
  }
  expect(flow.request).toBeGreaterThan(0);
  expect(await shipmentStatus(rig, flow.request!)).toBe('APPROVAL_REQUESTED');
}

/** The Grandpass supervisor approves the special request from the inbox. */
export async function approveRequest(rig: ConsoleRig, flow: TeaFlow): Promise<void> {
  const { context, page } = await pageAs(rig, 'GRANDPASS-SUPERVISOR');
  try {
    await expectOnlyPages(page, 'GRANDPASS-SUPERVISOR');
    await openPage(page, 'Order requests');
    const approve = page.getByRole('button', { name: `Approve request ${flow.request}` });
    await approve.click();
    await approve.waitFor({ state: 'detached' });
  } finally {
    await context.close();
  }
  // Allowed is only ever current for an instant: the request goes on as an ordinary one.
  expect(await shipmentStatus(rig, flow.request!)).toBe('ORDER_REQUESTED');
}
