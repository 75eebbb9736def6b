import { SHIPMENT_STATUSES, type ShipmentStatus } from '@tributary/contracts';

export { MTP_GROUPS, type MtpGroup } from '@tributary/contracts';

export const SHIFTS = ['NIGHT', 'DAY', 'NIGHT & DAY'] as const;

export { SHIPMENT_STATUSES, type ShipmentStatus };

/** Statuses a new request (and so its shipment 1) may start in. */
export const INITIAL_STATUSES = ['APPROVAL_REQUESTED', 'ORDER_REQUESTED'] as const;

/**
 * Shipments that count against a plan's allowance: everything except a special request still
 * waiting for approval or refused. (Approval is what lets a request exceed the plan.)
 */
export function consumesAllowance(status: string): boolean {
  return status !== 'APPROVAL_REQUESTED' && status !== 'APPROVAL_BLOCKED';
}
