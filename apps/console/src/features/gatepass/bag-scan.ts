import { labelOf } from '../../lib/bag-label';

/** A bag on a vehicle's list: its label, its lot or batch, its shipment and the kg it carries for it. */
export interface VehicleBag {
  table: string;
  barcode: string;
  item_code: string;
  amount: string;
  remaining: string;
  request_code: number;
  shipment_code: number;
}

export type ScanOutcome =
  { kind: 'checked'; bag: VehicleBag } | { kind: 'duplicate'; bag: VehicleBag } | { kind: 'unknown'; scanned: string } | { kind: 'empty' };

/**
 * Matches what the scanner typed to a bag of the vehicle. The label QR reads
 * `<material>:<barcode>`; a hand-typed bare barcode is taken too, case aside.
 */
export function matchScan(scanned: string, bags: readonly VehicleBag[], checked: ReadonlySet<string>): ScanOutcome {
  const text = scanned.trim().toLowerCase();
  if (!text) return { kind: 'empty' };
  const bag = bags.find((candidate) => labelOf(candidate).toLowerCase() === text || candidate.barcode.toLowerCase() === text);
  if (!bag) return { kind: 'unknown', scanned: scanned.trim() };
  return checked.has(labelOf(bag)) ? { kind: 'duplicate', bag } : { kind: 'checked', bag };
}

/** What the gatepass officer is told after a scan, in plain words. */
export function scanMessage(outcome: ScanOutcome): string {
  switch (outcome.kind) {
    case 'checked':
      return `Bag ${outcome.bag.item_code} checked (shipment ${outcome.bag.request_code}/${outcome.bag.shipment_code}).`;
    case 'duplicate':
      return `This bag was already checked (shipment ${outcome.bag.request_code}/${outcome.bag.shipment_code}). Scan the next bag.`;
    case 'unknown':
      return `This bag is not on this vehicle's list: ${outcome.scanned}. Put it aside and tell Seeduwa.`;
    case 'empty':
      return 'Nothing was scanned. Scan the label on the bag.';
  }
}
