import { describe, expect, it } from 'vitest';
import { STATUS_ACCESS } from '../../access.js';
import { SHIPMENT_STATUSES } from '../../domain.js';
import { canMove, NEXT_STATUSES, POSTABLE_STATUSES, REQUIRED_FIELD } from './workflow.js';

describe('shipment workflow', () => {
  it('dispatches before acceptance and never goes back', () => {
    expect(canMove('ORDER_READY', 'SHIPMENT_DISPATCHED')).toBe(true);
    expect(canMove('SHIPMENT_DISPATCHED', 'SHIPMENT_ACCEPTED')).toBe(true);
    expect(canMove('ORDER_REQUESTED', 'SHIPMENT_ACCEPTED')).toBe(false);
    expect(canMove('SHIPMENT_ACCEPTED', 'SHIPMENT_DISPATCHED')).toBe(false);
    expect(canMove('ORDER_READY', 'ORDER_NOT_READY')).toBe(false);
  });

  it('reaches every status from a creation status, and every path ends', () => {
    const reached = new Set<string>(['APPROVAL_REQUESTED', 'ORDER_REQUESTED']);
    for (let changed = true; changed;) {
      changed = false;
      for (const from of [...reached]) {
        for (const to of NEXT_STATUSES[from as keyof typeof NEXT_STATUSES]) {
          if (reached.has(to)) continue;
          reached.add(to);
          changed = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...SHIPMENT_STATUSES].sort());
    // No cycles: a status can be recorded once per shipment, so a cycle would be a dead end.
    const visit = (status: string, path: string[]): void => {
      expect(path).not.toContain(status);
      for (const next of NEXT_STATUSES[status as keyof typeof NEXT_STATUSES]) visit(next, [...path, status]);
    };
    visit('APPROVAL_REQUESTED', []);
    visit('ORDER_REQUESTED', []);
  });

  it('names who may post each postable status, and which text each needs', () => {
    for (const status of POSTABLE_STATUSES) expect(STATUS_ACCESS[status]?.length).toBeGreaterThan(0);
    expect(REQUIRED_FIELD).toEqual({
      SHIPMENT_DISPATCHED: 'shipment_vehicle',
      ORDER_NOT_READY: 'order_remarks',
      SHIPMENT_ACCEPTED: 'shipment_remarks',
    });
  });
});
