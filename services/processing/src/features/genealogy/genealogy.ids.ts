import type { Material } from '../../domain/materials.js';
import type { BagKey, BatchKey, LotKey, ShipmentKey } from './genealogy.repository.js';

/**
 * A node of the trace and the key it is read by. Ids are stable text, and every id is also a
 * trace code: a bag's id is exactly its label barcode (`table:uuid`), so a scan and a click on
 * the page ask for the same thing.
 */
export interface ParcelKey extends BagKey, ShipmentKey {
  schedule_code: string;
}
export type AttributionKind = 'garden' | 'broker' | 'invoice';

export type NodeRef =
  | { kind: 'lot'; key: LotKey }
  | { kind: 'bag'; key: BagKey }
  | { kind: 'batch'; key: BatchKey }
  | { kind: 'shipment'; key: ShipmentKey }
  | { kind: 'vehicle'; vehicle: string }
  | { kind: 'parcel'; key: ParcelKey }
  | { kind: 'schedule'; code: string }
  | { kind: AttributionKind; name: string };

export function nodeId(ref: NodeRef): string {
  switch (ref.kind) {
    case 'lot':
      return `lot:${ref.key.material}:${ref.key.item_code}@${ref.key.created_ts}`;
    case 'bag':
      return bagId(ref.key);
    case 'batch':
      return `batch:${ref.key.target}:${ref.key.item_code}@${ref.key.created_ts}`;
    case 'shipment':
      return shipmentId(ref.key);
    case 'vehicle':
      return `vehicle:${ref.vehicle}`;
    case 'parcel':
      return `parcel:${ref.key.material}:${ref.key.barcode}/${ref.key.request_code}/${ref.key.shipment_code}/${ref.key.schedule_code}`;
    case 'schedule':
      return `schedule:${ref.code}`;
    default:
      return `${ref.kind}:${ref.name}`;
  }
}

export const bagId = (key: BagKey) => `${key.material}:${key.barcode}`;
export const shipmentId = (key: ShipmentKey) => `shipment:${key.request_code}/${key.shipment_code}`;
export const scheduleId = (code: string) => `schedule:${code}`;

const MATERIAL = '(tealine|blendsheet|flavorsheet|herbline|blendbalance)';
const UUID = '([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';
const BIGINT = '([0-9]{1,18})';

/** What a code names, before it is looked up; `malformed` when a known form is broken. */
export type ParsedCode = { ref: NodeRef } | { text: string } | { malformed: string };

const FORMS: readonly [RegExp, RegExp, (m: RegExpExecArray) => NodeRef][] = [
  [
    new RegExp(`^${MATERIAL}:`),
    new RegExp(`^${MATERIAL}:${UUID}$`),
    (m) => ({ kind: 'bag', key: { material: m[1] as Material, barcode: m[2]!.toLowerCase() } }),
  ],
  [
    /^lot:/,
    new RegExp(`^lot:(tealine|herbline|blendbalance):(.{1,100})@${BIGINT}$`),
    (m) => ({ kind: 'lot', key: { material: m[1] as LotKey['material'], item_code: m[2]!, created_ts: m[3]! } }),
  ],
  [
    /^batch:/,
    new RegExp(`^batch:(blendsheet|flavorsheet):(.{1,100})@${BIGINT}$`),
    (m) => ({ kind: 'batch', key: { target: m[1] as BatchKey['target'], item_code: m[2]!, created_ts: m[3]! } }),
  ],
  [
    /^shipment:/,
    new RegExp(`^shipment:${BIGINT}/([0-9]{1,9})$`),
    (m) => ({ kind: 'shipment', key: { request_code: m[1]!, shipment_code: Number(m[2]) } }),
  ],
  [/^schedule:/, new RegExp(`^schedule:${BIGINT}$`), (m) => ({ kind: 'schedule', code: m[1]! })],
  [
    /^parcel:/,
    new RegExp(`^parcel:${MATERIAL}:${UUID}/${BIGINT}/([0-9]{1,9})/${BIGINT}$`),
    (m) => ({
      kind: 'parcel',
      key: {
        material: m[1] as Material,
        barcode: m[2]!.toLowerCase(),
        request_code: m[3]!,
        shipment_code: Number(m[4]),
        schedule_code: m[5]!,
      },
    }),
  ],
  [/^vehicle:/, /^vehicle:(.{1,50})$/, (m) => ({ kind: 'vehicle', vehicle: m[1]! })],
  [/^(garden|broker|invoice):/, /^(garden|broker|invoice):(.{1,200})$/, (m) => ({ kind: m[1] as AttributionKind, name: m[2]! })],
];

const hasControl = (text: string) => [...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);

/**
 * A scanned label (`table:uuid`), a node id from an earlier trace, or free text: a lot, batch
 * or invoice number. A code that starts like a known form but breaks it is malformed rather
 * than looked up as text, so a mistyped barcode answers 400, not "not found".
 */
export function parseCode(code: string): ParsedCode {
  // Codes come from scanners and URLs: control characters and surrounding blanks are never part of one.
  if (code.length === 0 || code.length > 300 || hasControl(code) || code.trim() !== code)
    return { malformed: 'a code is 1–300 printable characters without surrounding blanks' };
  for (const [prefix, full, build] of FORMS) {
    if (!prefix.test(code)) continue;
    const match = full.exec(code);
    return match ? { ref: build(match) } : { malformed: `"${code.split(':')[0]}:" codes must look like ${full.source}` };
  }
  if (code.length > 100) return { malformed: 'lot, batch and invoice numbers are at most 100 characters' };
  return { text: code };
}
