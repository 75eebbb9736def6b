import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bagLabelZpl, labelFields, labelTime, labelZpl, parseLabelCode, type LabelBag } from './labels.js';

const BARCODE = '3f2c1b7a-9d4e-4c2a-8b1f-0e5d6c7b8a90';
// 2024-02-25 04:30:05 UTC = 10:00:05 in Colombo (UTC+05:30).
const RECEIVED = Date.UTC(2024, 1, 25, 4, 30, 5);

const tealine: LabelBag = {
  table: 'tealine',
  barcode: BARCODE,
  item_code: 'T240225',
  id: 17,
  received_ts: RECEIVED,
  store_location: 'STORE-A',
  gross_weight: '51.25',
  bag_weight: '1.25',
  net_weight: '50.00',
  garden: 'Pedro',
  broker: 'Forbes',
};

describe('labels (§7.1)', () => {
  it('shows the receive time in the plant zone, not the machine zone', () => {
    expect(labelTime(RECEIVED, 'Asia/Colombo')).toBe('10:00:05 AM, 25/02/2024');
    expect(labelTime(RECEIVED, 'UTC')).toBe('04:30:05 AM, 25/02/2024');
  });

  it('renders the tealine label byte for byte', () => {
    expect(bagLabelZpl(tealine, 'Asia/Colombo')).toBe(
      [
        '^XA',
        '^CI28',
        '^FO30,30^A0N,26,26^FB520,9,6,L^FH_^FDItem Code: T240225\\&Garden: Pedro\\&Broker: Forbes\\&Received At: 10:00:05 AM, 25/02/2024\\&Location: STORE-A\\&Gross Weight: 51.25\\&Bag Weight: 1.25\\&Net Weight: 50.00\\&Bag No: 17^FS',
        `^FO617,30^BQN,2,5^FDQA,tealine:${BARCODE}^FS`,
        '^XZ',
      ].join('\n'),
    );
  });

  it('gives each table its own identity fields', () => {
    const keys = (bag: LabelBag) => labelFields(bag, 'Asia/Colombo').map((field) => field.key);
    expect(keys({ ...tealine, table: 'blendsheet', blendsheet_no: 'BS/2024/0192' })).toEqual([
      'Item Code',
      'Blendsheet No',
      'Received At',
      'Location',
      'Gross Weight',
      'Bag Weight',
      'Net Weight',
      'Bag No',
    ]);
    expect(keys({ ...tealine, table: 'blendbalance', transfer_id: 'TR-9' })).toEqual([
      'Transfer ID',
      'Blend Balance No',
      'Scanned At',
      'Location',
      'Gross Weight',
      'Bag Weight',
      'Net Weight',
      'Bag No',
    ]);
    expect(keys({ ...tealine, table: 'herbline' })).toEqual([
      'Item Code',
      'Item Name',
      'Reference',
      'Received At',
      'Location',
      'Gross Weight',
      'Bag Weight',
      'Net Weight',
      'Bag No',
    ]);
    expect(keys({ ...tealine, table: 'flavorsheet' })[1]).toBe('Flavorsheet No');
  });

  it('keeps any field text inside its field: one ^XA, one ^XZ, no stray ^ or ~', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (garden, broker) => {
        const zpl = bagLabelZpl({ ...tealine, garden, broker }, 'Asia/Colombo');
        const block = zpl.split('\n')[2]!;
        const data = block.slice(block.indexOf('^FD') + 3, block.lastIndexOf('^FS'));
        expect(zpl.match(/\^XA/g)).toHaveLength(1);
        expect(zpl.match(/\^XZ/g)).toHaveLength(1);
        expect(data).not.toMatch(/[\^~]/);
        // Only the renderer's own separators are line breaks.
        expect(data.split('\\&')).toHaveLength(9);
      }),
    );
  });

  it('refuses a QR payload that would break out of its field', () => {
    expect(() => labelZpl([], 'tealine:^XZ')).toThrow(RangeError);
  });

  it('reads a scanned label code back, and nothing else', () => {
    expect(parseLabelCode(`blendsheet:${BARCODE.toUpperCase()}`)).toEqual({ table: 'blendsheet', barcode: BARCODE });
    expect(parseLabelCode(`teabag:${BARCODE}`)).toBeNull();
    expect(parseLabelCode('tealine:123')).toBeNull();
    expect(parseLabelCode('T240225')).toBeNull();
  });
});
