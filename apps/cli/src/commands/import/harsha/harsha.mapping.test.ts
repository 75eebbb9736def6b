import { describe, expect, it } from 'vitest';
import { CONSUMPTION_LOG, MOVEMENTS, rebuildLedger } from './ledger-rebuild.js';
import { recoveryTimeoutMs } from './gateway.steps.js';

const batch = {
  name: 'HD-B-1',
  item: 'KOKIS-250G',
  warehouse: 'Stores - HD',
  available_qty: '7.500',
  modified: new Date('2026-01-09T00:00:00Z'),
};
const movement = (name: string, type: string, change: string, before: string, after: string, day: number) => ({
  table: MOVEMENTS,
  row: {
    name,
    batch_id: 'HD-B-1',
    movement_type: type,
    qty_change: change,
    qty_before: before,
    qty_after: after,
    movement_date: new Date(Date.UTC(2026, 0, day)),
    creation: new Date(Date.UTC(2026, 0, day)),
    modified: new Date(Date.UTC(2026, 0, day)),
  },
});

describe('recovery_timeout: seconds in the schema, milliseconds from the admin API', () => {
  it('reads values below 1000 as seconds and from 1000 on as milliseconds', () => {
    expect(recoveryTimeoutMs(60)).toEqual({ ms: 60_000, unit: 'seconds' });
    expect(recoveryTimeoutMs(999)).toEqual({ ms: 999_000, unit: 'seconds' });
    expect(recoveryTimeoutMs(1000)).toEqual({ ms: 1000, unit: 'milliseconds' });
    expect(recoveryTimeoutMs(60_000)).toEqual({ ms: 60_000, unit: 'milliseconds' });
  });
});

describe('rebuilding a batch ledger from the original movements', () => {
  it('replays in date order with exact decimals and maps the movement types', () => {
    const ledger = rebuildLedger(batch, [
      movement('M2', 'OUT', '-2.750', '10.250', '7.500', 3),
      movement('M1', 'IN', '10.250', '0', '10.250', 2),
    ]);
    expect(ledger.refusal).toBeUndefined();
    expect(ledger.faults).toEqual([]);
    expect(ledger.balance.toFixed()).toBe('7.5');
    expect(ledger.movements.map((m) => [m.key, m.values.seq, m.values.movement_type, m.values.qty_before, m.values.qty_after])).toEqual([
      ['M1', 1, 'RECEIPT', '0', '10.25'],
      ['M2', 2, 'CONSUMPTION', '10.25', '7.5'],
    ]);
  });

  it('books the difference to the recorded balance as one adjustment', () => {
    const ledger = rebuildLedger({ ...batch, available_qty: '8.000' }, [movement('M1', 'IN', '10.250', '0', '10.250', 2)]);
    expect(ledger.faults.map((f) => [f.fault, f.detail.adjustment])).toEqual([
      ['BATCH_BALANCE_MISMATCH', { name: 'HD-B-1-IMPORT-ADJ', qty_change: '-2.25' }],
    ]);
    expect(ledger.movements.at(-1)?.values).toMatchObject({
      movement_type: 'ADJUSTMENT',
      qty_before: '10.25',
      qty_change: '-2.25',
      qty_after: '8',
    });
  });

  it('refuses a ledger that goes below zero at any point, and flags a transfer by its sign', () => {
    const refused = rebuildLedger(batch, [movement('M1', 'OUT', '-1', '1', '0', 1), movement('M2', 'IN', '8.5', '0', '8.5', 2)]);
    expect(refused.refusal?.fault).toBe('NEGATIVE_STOCK');
    const consumedOnly = rebuildLedger({ ...batch, total_qty: '12', available_qty: '3', manufacturing_date: '2026-01-01' }, [
      {
        table: CONSUMPTION_LOG,
        row: { name: 'C1', batch_id: 'HD-B-1', consumption_type: 'Sale', qty_consumed: '4.5', consumption_date: '2026-01-02' },
      },
    ]);
    expect(consumedOnly.faults.map((f) => f.fault)).toEqual(['BATCH_WITHOUT_RECEIPT', 'BATCH_BALANCE_MISMATCH']);
    expect(consumedOnly.movements.map((m) => [m.key, m.values.movement_type, m.values.qty_change, m.values.qty_after])).toEqual([
      ['HD-B-1-IMPORT-OPEN', 'RECEIPT', '12', '12'],
      ['C1', 'CONSUMPTION', '-4.5', '7.5'],
      ['HD-B-1-IMPORT-ADJ', 'ADJUSTMENT', '-4.5', '3'],
    ]);
    const transfer = rebuildLedger({ ...batch, available_qty: '6' }, [
      movement('M1', 'IN', '10', '0', '10', 1),
      movement('M2', 'TRANSFER', '-4', '10', '6', 2),
    ]);
    expect(transfer.movements.map((m) => m.values.movement_type)).toEqual(['RECEIPT', 'TRANSFER_OUT']);
  });
});
