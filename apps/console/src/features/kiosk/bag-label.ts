import type { LabelInput } from '@tributary/devices/messages';

type RecordedBag = Pick<
  LabelInput,
  'table' | 'barcode' | 'item_code' | 'id' | 'received_ts' | 'store_location' | 'gross_weight' | 'bag_weight'
>;
export type LotLabelFields = Partial<Pick<LabelInput, 'garden' | 'broker' | 'transfer_id' | 'blendsheet_no' | 'item_name' | 'reference'>>;

/**
 * The §7.1 label the bridge prints for a bag just recorded: the record's answer plus the lot's
 * own fields. Empty lot fields are left out rather than printed as "Garden: ".
 */
export function bagLabel(record: RecordedBag, extra: LotLabelFields): LabelInput {
  const present = Object.fromEntries(Object.entries(extra).filter(([, value]) => typeof value === 'string' && value.length > 0));
  return { ...record, ...present };
}
