import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIGURATIONS } from '../configurations/defaults.js';
import { BusinessRules } from './business-rules.js';
import { mergeFields } from './merge.js';

const rulesOf = (name: string) => DEFAULT_CONFIGURATIONS.find((config) => config.config_name === name)!.configuration.conflict!.fieldRules!;

describe('field-level merge (reference rules)', () => {
  it('customer: contact fields from the source, the higher credit limit, payment terms from the source', () => {
    const result = mergeFields(
      { email: 'new@x.com', phone: '1', credit_limit: '5000.00', payment_terms: 'Net 30', name: 'A' },
      { email: 'old@x.com', phone: '2', credit_limit: '7500.50', payment_terms: 'Net 15', name: 'A', notes: 'local' },
      rulesOf('ERPNext_Customer_Sync'),
    );
    expect(result.resolvedData).toEqual({
      email: 'new@x.com',
      phone: '1',
      credit_limit: '7500.50',
      payment_terms: 'Net 30',
      name: 'A',
      notes: 'local',
    });
    expect(result.resolved).toBe(true);
    expect(result.conflicts.map((c) => [c.field, c.resolution])).toEqual([
      ['email', 'source'],
      ['phone', 'source'],
      ['credit_limit', 'target'],
      ['payment_terms', 'source'],
    ]);
  });

  it('inventory: source quantity, summed reservations (exact decimals), earlier expiry, batch lists united by id', () => {
    const result = mergeFields(
      {
        quantity: '10',
        reserved: '0.1',
        expiry_date: '2026-03-01',
        batches: [
          { batchId: 'B1', expiryDate: '2026-05-01' },
          { batchId: 'B2', expiryDate: '2026-04-01' },
        ],
      },
      {
        quantity: '12',
        reserved: '0.2',
        expiry_date: '2026-02-01',
        batches: [
          { batchId: 'B1', expiryDate: '2026-04-15' },
          { batchId: 'B3', expiryDate: '2026-06-01' },
        ],
      },
      rulesOf('ERP_Batch_Sync'),
    );
    expect(result.resolvedData).toEqual({
      quantity: '10',
      reserved: '0.3',
      expiry_date: '2026-02-01',
      batches: [
        { batchId: 'B1', expiryDate: '2026-04-15' },
        { batchId: 'B3', expiryDate: '2026-06-01' },
        { batchId: 'B2', expiryDate: '2026-04-01' },
      ],
    });
  });

  it('orders: the further stage and the later delivery date win; pricing keeps the widest validity', () => {
    const order = mergeFields(
      { status: 'confirmed', delivery_date: '2026-01-02' },
      { status: 'shipped', delivery_date: '2026-01-05' },
      rulesOf('Orders_Shipments_To_Processing'),
    );
    expect(order.resolvedData.status).toBe('shipped');
    const price = mergeFields(
      { amount: '10.00', currency: 'LKR', valid_from: '2026-01-10', valid_to: '2026-02-01' },
      { amount: '12.00', currency: 'USD', valid_from: '2026-01-01', valid_to: '2026-03-01' },
      rulesOf('ERP_Pricing_Sync'),
    );
    expect(price.resolvedData).toEqual({ amount: '10.00', currency: 'LKR', valid_from: '2026-01-01', valid_to: '2026-03-01' });
  });

  it('a manual field leaves the merge unresolved; nested objects merge per field', () => {
    const result = mergeFields(
      { a: 1, address: { city: 'Kandy', zip: '1' } },
      { a: 2, address: { city: 'Galle', street: 'x' } },
      { a: { rule: 'manual' }, 'address.city': { rule: 'target' } },
    );
    expect(result.resolved).toBe(false);
    expect(result.resolvedData.address).toEqual({ city: 'Galle', street: 'x', zip: '1' });
  });
});

describe('business rules', () => {
  it('ships the reference resolver rules and refuses unknown names by asking a person', () => {
    const rules = new BusinessRules();
    expect(rules.names()).toEqual(['customer_keep_email', 'higher_version_wins', 'inventory_newer_wins', 'order_status_from_event']);
    const input = { entityType: 'x', entityId: '1', eventName: 'e', sourceVersion: '3', targetVersion: '5' };
    expect(
      rules.apply('customer_keep_email', {
        ...input,
        source: { email: 'n', addresses: [{ id: 1, a: 'new' }] },
        target: { email: 'o', addresses: [{ id: 2 }] },
      }),
    ).toEqual({
      action: 'value',
      value: { email: 'o', addresses: [{ id: 2 }, { id: 1, a: 'new' }] },
      reason: expect.any(String),
    });
    expect(
      rules.apply('inventory_newer_wins', { ...input, source: { updated_at: '2026-01-01' }, target: { updated_at: '2026-02-01' } }).action,
    ).toBe('target');
    expect(rules.apply('higher_version_wins', { ...input, source: {}, target: {} }).action).toBe('target');
    expect(rules.apply('nope', { ...input, source: {}, target: {} }).action).toBe('manual');
    rules.register('always_source', () => ({ action: 'source', reason: 'test' }));
    expect(rules.has('always_source')).toBe(true);
  });
});
