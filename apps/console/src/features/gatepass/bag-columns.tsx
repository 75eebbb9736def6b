import { labelOf } from '../../lib/bag-label';
import type { Column } from '../../ui/data-table';
import { kgColumn } from '../../ui/kg-column';
import type { VehicleBag } from './bag-scan';

/** The bag list of a vehicle, shared by the check at the gate and the printed gatepass. */
export const BAG_COLUMNS: ReadonlyArray<Column<VehicleBag>> = [
  {
    key: 'shipment',
    header: 'Shipment',
    text: (bag) => `${bag.request_code}/${bag.shipment_code}`,
    compare: (a, b) => a.request_code - b.request_code || a.shipment_code - b.shipment_code,
  },
  { key: 'lot', header: 'Lot or batch', text: (bag) => bag.item_code },
  { key: 'label', header: 'Bag label', text: labelOf },
  kgColumn('kg', 'Weight', (bag) => bag.amount),
];

export function checkedColumn(checked: ReadonlySet<string>): Column<VehicleBag> {
  return { key: 'checked', header: 'Checked', text: (bag) => (checked.has(labelOf(bag)) ? 'Checked' : 'Not yet') };
}
