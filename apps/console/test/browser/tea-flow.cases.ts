import { expect, it } from 'vitest';
import type { KioskRig } from './kiosk-rig.js';
import { reconcileMtp } from './reconcile.js';
import { acceptAtGate, fillParcel, scheduleFilling } from './tea-flow.grandpass.js';
import { dispatchLoad, markReady, traderReview } from './tea-flow.dispatch.js';
import { approveRequest, requestMaterial, uploadPlan } from './tea-flow.orders.js';
import { acceptBags, processBatch, seedLotAndSheet } from './tea-flow.seeduwa.js';
import { traceLot } from './tea-flow.trace.js';
import type { TeaFlow } from './tea-flow.js';

/**
 * The whole tea flow through the pages, in order, each step signed in as the group that does
 * it: from the plan at Grandpass, through the Seeduwa kiosks on real serial devices, back to
 * the parcels at Grandpass; then the two services reconcile at zero differences and the trace
 * follows the first lot all the way down. Each step checks what its page shows and what the
 * server stored, and that the group is offered only its own pages.
 */
export function teaFlowCases(rig: () => KioskRig): void {
  it('plan → special request → approval → accept → process → traders → ready → dispatch → gate → schedule → parcel → reconciled → traced', async () => {
    const flow: TeaFlow = { teaBags: [], outputLabels: [] };
    await uploadPlan(rig());
    await requestMaterial(rig(), flow);
    await approveRequest(rig(), flow);
    const lot = await seedLotAndSheet(rig());
    await acceptBags(rig(), flow, lot);
    await processBatch(rig(), flow);
    await traderReview(rig(), flow);
    await markReady(rig(), flow);
    await dispatchLoad(rig(), flow);
    await acceptAtGate(rig(), flow);
    await scheduleFilling(rig(), flow);
    await fillParcel(rig(), flow);

    const report = await reconcileMtp(rig());
    expect(report.differences).toEqual([]);
    expect(report.summary.differences).toBe(0);
    // Not an empty comparison: processing's allocations were read.
    expect(report.summary.allocationGroups).toBeGreaterThan(0);

    await traceLot(rig(), flow);
  }, 600_000);
}
