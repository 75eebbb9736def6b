import type { LabelInput } from '../messages.js';

/** Two bags and the exact ZPL (§7.1) their labels must print as, times in Asia/Colombo. */
export const UUID_TEA = '3f2c1b7a-9d4e-4c2a-8b1f-0e5d6c7b8a90';
export const UUID_BLEND = '9b1e8c44-2f3a-4d5b-a6c7-d8e9f0a1b2c3';

export const tealine: LabelInput = {
  table: 'tealine',
  barcode: UUID_TEA,
  item_code: 'T240225',
  id: 17,
  // 04:30:05 UTC, 10:00:05 in Colombo.
  received_ts: Date.UTC(2024, 1, 25, 4, 30, 5),
  store_location: 'STORE-A',
  gross_weight: '51.25',
  bag_weight: '1.25',
  garden: 'Pedro',
  broker: 'Forbes',
};

export const blendsheet: LabelInput = {
  table: 'blendsheet',
  barcode: UUID_BLEND,
  item_code: 'BLT00042',
  id: 3,
  // 18:45 UTC on 30 June is 00:15 on 1 July in Colombo: the date moves too.
  received_ts: Date.UTC(2024, 5, 30, 18, 45, 0),
  store_location: 'FG-1',
  gross_weight: '25.5',
  bag_weight: '0.25',
  blendsheet_no: 'BS/2024/0192',
};

export const TEALINE_ZPL = [
  '^XA',
  '^CI28',
  '^FO30,30^A0N,26,26^FB520,9,6,L^FH_^FDItem Code: T240225\\&Garden: Pedro\\&Broker: Forbes\\&Received At: 10:00:05 AM, 25/02/2024\\&Location: STORE-A\\&Gross Weight: 51.25\\&Bag Weight: 1.25\\&Net Weight: 50.00\\&Bag No: 17^FS',
  `^FO617,30^BQN,2,5^FDQA,tealine:${UUID_TEA}^FS`,
  '^XZ',
].join('\n');

export const BLENDSHEET_ZPL = [
  '^XA',
  '^CI28',
  '^FO30,30^A0N,26,26^FB520,8,6,L^FH_^FDItem Code: BLT00042\\&Blendsheet No: BS/2024/0192\\&Received At: 12:15:00 AM, 01/07/2024\\&Location: FG-1\\&Gross Weight: 25.50\\&Bag Weight: 0.25\\&Net Weight: 25.25\\&Bag No: 3^FS',
  `^FO617,30^BQN,2,5^FDQA,blendsheet:${UUID_BLEND}^FS`,
  '^XZ',
].join('\n');
