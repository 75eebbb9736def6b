/** Shipment statuses in the words of the people who use them. */
const STATUS_LABELS: Record<string, string> = {
  APPROVAL_REQUESTED: 'Waiting for approval',
  APPROVAL_ALLOWED: 'Approved',
  APPROVAL_BLOCKED: 'Approval refused',
  ORDER_REQUESTED: 'Requested',
  ORDER_READY: 'Ready to ship',
  ORDER_NOT_READY: 'Not ready',
  TRADER_BLOCKED: 'Blocked by trader',
  SHIPMENT_DISPATCHED: 'On the way',
  SHIPMENT_ACCEPTED: 'Received at Grandpass',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}
