import { describe, expect, it } from 'vitest';
import { parseCommand, renderLabel } from './commands.js';
import type { LabelInput } from './messages.js';

const BARCODE = '3f2c1b7a-9d4e-4c2a-8b1f-0e5d6c7b8a90';
const blendsheet: LabelInput = {
  table: 'blendsheet',
  barcode: BARCODE,
  item_code: 'BLT00042',
  id: 3,
  received_ts: Date.UTC(2024, 5, 30, 18, 45, 0),
  store_location: 'FG-1',
  gross_weight: '25.5',
  bag_weight: '0.25',
  blendsheet_no: 'BS/2024/0192',
};

describe('bridge commands', () => {
  it('accepts the three commands', () => {
    expect(parseCommand('{"type":"bag-result","ok":true}')).toEqual({ ok: true, command: { type: 'bag-result', ok: true } });
    expect(parseCommand('{"type":"print","id":"p1","zpl":"^XA^FDx^FS^XZ"}').ok).toBe(true);
    expect(parseCommand(JSON.stringify({ type: 'print', label: blendsheet })).ok).toBe(true);
  });

  it('refuses anything else with a reason and the id to answer to', () => {
    expect(parseCommand('not json')).toEqual({ ok: false, message: 'a command is one JSON object' });
    const noXz = parseCommand('{"type":"print","id":"p2","zpl":"^XA^FDx^FS"}');
    expect(noXz).toMatchObject({ ok: false, id: 'p2' });
    expect(parseCommand(JSON.stringify({ type: 'print', label: { ...blendsheet, gross_weight: 25.5 } })).ok).toBe(false);
    expect(parseCommand(JSON.stringify({ type: 'print', label: { ...blendsheet, barcode: 'x' } })).ok).toBe(false);
    expect(parseCommand(JSON.stringify({ type: 'print', label: { ...blendsheet, table: 'teabag' } })).ok).toBe(false);
    expect(parseCommand('{"type":"bag-result","ok":"yes"}').ok).toBe(false);
    expect(parseCommand('{"type":"tare"}').ok).toBe(false);
  });

  it('renders the blendsheet label with exact weights in the plant zone', () => {
    // 18:45 UTC on 30 June is 00:15 on 1 July in Colombo: the date moves too.
    expect(renderLabel(blendsheet)).toBe(
      [
        '^XA',
        '^CI28',
        '^FO30,30^A0N,26,26^FB520,8,6,L^FH_^FDItem Code: BLT00042\\&Blendsheet No: BS/2024/0192\\&Received At: 12:15:00 AM, 01/07/2024\\&Location: FG-1\\&Gross Weight: 25.50\\&Bag Weight: 0.25\\&Net Weight: 25.25\\&Bag No: 3^FS',
        `^FO617,30^BQN,2,5^FDQA,blendsheet:${BARCODE}^FS`,
        '^XZ',
      ].join('\n'),
    );
  });

  it('refuses a bag heavier than its gross', () => {
    expect(() => renderLabel({ ...blendsheet, bag_weight: '26' })).toThrow(/exceeds gross/);
  });
});
