import { describe, expect, it } from 'vitest';
import { actingUser, toIncoming } from './collector.js';

const event = (metadata: Record<string, unknown> | null) => ({
  id: '00000000-0000-4000-8000-000000000001',
  sequence: '1',
  aggregateType: 'shipment',
  aggregateId: '1-1',
  type: 'shipment.changed',
  payload: { version: 3 },
  metadata,
  createdAt: Date.UTC(2026, 0, 1),
});

describe('the acting user of a captured event', () => {
  it('is read from each service’s metadata shape', () => {
    expect(toIncoming('orders', event({ requestId: 'r', actor: 'officer1' })).sourceUser).toBe('officer1');
    expect(toIncoming('processing', event({ requestId: 'r', user: 'seeduwa1', principal: 'gateway' })).sourceUser).toBe('seeduwa1');
    expect(toIncoming('processing', event({ requestId: 'r', principal: 'orders' })).sourceUser).toBe('orders');
    expect(toIncoming('erp', event({ actor: 'usr_manager' })).sourceUser).toBe('usr_manager');
  });

  it('is null when no one is named', () => {
    expect(actingUser(null)).toBeNull();
    expect(actingUser({ user: '', actor: 42 })).toBeNull();
  });
});
