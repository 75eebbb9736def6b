import QRCode from 'qrcode';
import type { Material } from '../../domain/materials.js';

export interface LabelField {
  key: string;
  value: string;
}

export interface LabelBag {
  table: Material;
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

/** luxon's "hh:mm:ss a, dd/LL/yyyy" (the Device-Panel's label format) in the given zone. */
export function labelTime(epochMs: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hour12: true, hour: '2-digit', minute: '2-digit', second: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric' })
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
      return [{ key: 'Item Code', value: bag.item_code }, { key: 'Garden', value: text(bag.garden) }, { key: 'Broker', value: text(bag.broker) }, { key: 'Received At', value: at }, ...weights];
    case 'blendbalance':
      return [{ key: 'Transfer ID', value: text(bag.transfer_id) }, { key: 'Blend Balance No', value: bag.item_code }, { key: 'Scanned At', value: at }, ...weights];
    case 'blendsheet':
      return [{ key: 'Item Code', value: bag.item_code }, { key: 'Blendsheet No', value: text(bag.blendsheet_no) }, { key: 'Received At', value: at }, ...weights];
    case 'flavorsheet':
      return [{ key: 'Item Code', value: bag.item_code }, { key: 'Flavorsheet No', value: text(bag.flavorsheet_no) }, { key: 'Received At', value: at }, ...weights];
    case 'herbline':
      return [{ key: 'Item Code', value: bag.item_code }, { key: 'Item Name', value: text(bag.item_name) }, { key: 'Reference', value: text(bag.reference) }, { key: 'Received At', value: at }, ...weights];
  }
}

/** ^FH_ hex escapes: field data can never end a field (^), start a command (~) or fake a line break (\&). */
function zplEscape(value: string): string {
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
    `^FO${LABEL_WIDTH_DOTS - 30 - 5 * 33},30^BQN,2,5^FDQA,${qrPayload}^FS`,
    '^XZ',
  ].join('\n');
}

const xml = (value: string) => value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** An SVG preview of the whole label: the same lines and the same QR (ECC Q) drawn as modules. */
export function labelSvg(fields: LabelField[], qrPayload: string): string {
  const qr = QRCode.create(qrPayload, { errorCorrectionLevel: 'Q' });
  const size = qr.modules.size;
  const scale = 5;
  const qrSide = (size + 8) * scale;
  const lineHeight = 30;
  const height = Math.max(qrSide + 40, fields.length * lineHeight + 60);
  const x0 = LABEL_WIDTH_DOTS - 30 - qrSide;
  const modules: string[] = [];
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (qr.modules.get(row, col)) modules.push(`M${x0 + (col + 4) * scale} ${30 + (row + 4) * scale}h${scale}v${scale}h-${scale}z`);
    }
  }
  const textLines = fields.map((field, i) => `<text x="30" y="${60 + i * lineHeight}">${xml(`${field.key}: ${field.value}`)}</text>`).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LABEL_WIDTH_DOTS}" height="${height}" viewBox="0 0 ${LABEL_WIDTH_DOTS} ${height}">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<g font-family="Helvetica, Arial, sans-serif" font-size="24" fill="#000">${textLines}</g>` +
    `<path d="${modules.join('')}" fill="#000"/>` +
    `</svg>`
  );
}

/** PNG of the QR part (qrcode renders no text; the SVG is the full-label preview). */
export function labelQrPng(qrPayload: string): Promise<Buffer> {
  return QRCode.toBuffer(qrPayload, { errorCorrectionLevel: 'Q', type: 'png', scale: 5, margin: 4 });
}
