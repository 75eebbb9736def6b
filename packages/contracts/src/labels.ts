/**
 * The bag label (§7.1 of the MTP reference): the processing service serves it and the device
 * bridge prints it, so both render it from here and a reprint is byte for byte the same label.
 * Pure: no I/O, no clock (the receive time comes with the bag).
 */

/** The record tables whose bags carry a label; the QR payload is `<table>:<uuid>`. */
export const LABEL_TABLES = ['tealine', 'blendsheet', 'flavorsheet', 'herbline', 'blendbalance'] as const;
export type LabelTable = (typeof LABEL_TABLES)[number];

export interface LabelField {
  key: string;
  value: string;
}

export interface LabelBag {
  table: LabelTable;
  barcode: string;
  item_code: string;
  id: number;
  received_ts: number;
  store_location: string;
  gross_weight: string;
  bag_weight: string;
  net_weight: string;
  [column: string]: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The QR payload of a bag's label. */
export function labelCode(table: LabelTable, barcode: string): string {
  return `${table}:${barcode}`;
}

/** A scanned `table:uuid` back into its parts, or null when the text is not a label of ours. */
export function parseLabelCode(code: string): { table: LabelTable; barcode: string } | null {
  const at = code.indexOf(':');
  if (at < 0) return null;
  const table = code.slice(0, at);
  const barcode = code.slice(at + 1);
  if (!(LABEL_TABLES as readonly string[]).includes(table) || !UUID.test(barcode)) return null;
  return { table: table as LabelTable, barcode: barcode.toLowerCase() };
}

/** luxon's "hh:mm:ss a, dd/LL/yyyy" (the Device-Panel's label format) in the given zone. */
export function labelTime(epochMs: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hour12: true,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    })
      .formatToParts(new Date(epochMs))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.hour}:${parts.minute}:${parts.second} ${String(parts.dayPeriod).toUpperCase()}, ${parts.day}/${parts.month}/${parts.year}`;
}

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/**
 * The label's `key: value` lines. Tealine and blendbalance follow the reference (§7.1) field
 * for field; the other tables (undocumented) carry their lot/batch identity the same way.
 */
export function labelFields(bag: LabelBag, timeZone: string): LabelField[] {
  const at = labelTime(bag.received_ts, timeZone);
  const weights: LabelField[] = [
    { key: 'Location', value: bag.store_location },
    { key: 'Gross Weight', value: bag.gross_weight },
    { key: 'Bag Weight', value: bag.bag_weight },
    { key: 'Net Weight', value: bag.net_weight },
    { key: 'Bag No', value: String(bag.id) },
  ];
  switch (bag.table) {
    case 'tealine':
      return [
        { key: 'Item Code', value: bag.item_code },
        { key: 'Garden', value: text(bag.garden) },
        { key: 'Broker', value: text(bag.broker) },
        { key: 'Received At', value: at },
        ...weights,
      ];
    case 'blendbalance':
      return [
        { key: 'Transfer ID', value: text(bag.transfer_id) },
        { key: 'Blend Balance No', value: bag.item_code },
        { key: 'Scanned At', value: at },
        ...weights,
      ];
    case 'blendsheet':
      return [
        { key: 'Item Code', value: bag.item_code },
        { key: 'Blendsheet No', value: text(bag.blendsheet_no) },
        { key: 'Received At', value: at },
        ...weights,
      ];
    case 'flavorsheet':
      return [
        { key: 'Item Code', value: bag.item_code },
        { key: 'Flavorsheet No', value: text(bag.flavorsheet_no) },
        { key: 'Received At', value: at },
        ...weights,
      ];
    case 'herbline':
      return [
        { key: 'Item Code', value: bag.item_code },
        { key: 'Item Name', value: text(bag.item_name) },
        { key: 'Reference', value: text(bag.reference) },
        { key: 'Received At', value: at },
        ...weights,
      ];
  }
}

/** ^FH_ hex escapes: field data can never end a field (^), start a command (~) or fake a line break (\&). */
export function zplEscape(value: string): string {
  return value.replace(/[_^~\\]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export const LABEL_WIDTH_DOTS = 812;

/**
 * ZPL as the Device-Panel printed it: the text block of `key: value` lines joined with `\&`
 * in a field block on the left, the QR (model 2, magnification 5, ECC Q) aligned right.
 */
export function labelZpl(fields: LabelField[], qrPayload: string): string {
  const lines = fields.map((field) => zplEscape(`${field.key}: ${field.value}`)).join('\\&');
  return [
    '^XA',
    '^CI28',
    `^FO30,30^A0N,26,26^FB520,${fields.length},6,L^FH_^FD${lines}^FS`,
    `^FO${LABEL_WIDTH_DOTS - 30 - 5 * 33},30^BQN,2,5^FDQA,${qrFieldData(qrPayload)}^FS`,
    '^XZ',
  ].join('\n');
}

/** The whole label of one bag, as the printer gets it. */
export function bagLabelZpl(bag: LabelBag, timeZone: string): string {
  return labelZpl(labelFields(bag, timeZone), labelCode(bag.table, bag.barcode));
}

/**
 * The QR field takes no ^FH escapes (they would be encoded into the symbol), so a payload that
 * could break out of the field is refused rather than printed wrong.
 */
function qrFieldData(payload: string): string {
  if (/[\^~]/.test(payload)) throw new RangeError('a QR payload cannot hold ^ or ~');
  return payload;
}
