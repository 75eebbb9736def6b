import type { Lot } from '../../api/kiosk';
import { formatKg } from '../../lib/format';
import type { LotLabelFields } from './bag-label';

export const lotKey = (lot: Lot) => `${lot.table}/${lot.item_code}/${lot.created_ts}`;

export function lotName(lot: Lot): string {
  if (lot.table === 'tealine') return `Tealine ${lot.item_code}`;
  if (lot.table === 'blendbalance') return `Blend balance ${lot.item_code}`;
  return `Herbline ${lot.item_code} ${lot.item_name}`;
}

/** What the operator checks before weighing: where the lot stands against its limit. */
export function lotDetail(lot: Lot): string {
  if (lot.table === 'tealine') return `${lot.garden} · ${lot.received_bags} of ${lot.no_of_bags} bags`;
  if (lot.table === 'blendbalance')
    return `Blend ${lot.blend_code} · ${formatKg(lot.received_kg)} of ${formatKg(lot.expected_kg)} received`;
  return 'Herbal';
}

/** The lot's own lines on the §7.1 label: each material prints its own. */
export function lotLabelFields(lot: Lot, reference: string): LotLabelFields {
  if (lot.table === 'tealine') return { garden: lot.garden, broker: lot.broker };
  if (lot.table === 'blendbalance') return { transfer_id: lot.transfer_id };
  return { item_name: lot.item_name, reference };
}
