import type { TraceNode } from '../../api/trace';
import { bagStatusLabel, materialName } from '../../config/materials';
import { statusLabel } from '../../config/statuses';
import { traderStatusLabel } from '../../config/trader';
import { dayFirst, formatKg, formatPlantTime } from '../../lib/format';

/** The kinds of node in the users' words. */
const KINDS: Record<TraceNode['kind'], string> = {
  garden: 'Garden',
  broker: 'Broker',
  invoice: 'Invoice',
  lot: 'Lot',
  bag: 'Bag',
  batch: 'Blend batch',
  shipment: 'Shipment',
  vehicle: 'Vehicle',
  parcel: 'Parcel',
  schedule: 'Production schedule',
};

export function kindName(kind: TraceNode['kind']): string {
  return KINDS[kind] ?? kind;
}

type Attributes = TraceNode['attributes'];

function text(attributes: Attributes, key: string): string {
  const value = attributes[key];
  return value === null || value === undefined ? '' : String(value);
}

/** `label: value` pairs, leaving out what the trace does not know. */
function pairs(entries: ReadonlyArray<readonly [string, string]>): string {
  return entries
    .filter(([, value]) => value !== '')
    .map(([label, value]) => `${label}: ${value}`)
    .join('; ');
}

/** The few facts of a node that matter to a recall, weights in kg and times in the plant's zone. */
export function nodeDetails(node: TraceNode): string {
  const a = node.attributes;
  const kg = (key: string) => (text(a, key) ? formatKg(text(a, key)) : '');
  switch (node.kind) {
    case 'lot':
      return pairs([
        ['Material', materialName(text(a, 'material'))],
        ['Garden', text(a, 'garden')],
        ['Broker', text(a, 'broker')],
        ['Invoice', text(a, 'invoice_no')],
        ['Grade', text(a, 'grade')],
      ]);
    case 'bag':
      return pairs([
        ['Material', materialName(text(a, 'material'))],
        ['Net', kg('net_kg')],
        ['Left', kg('remaining_kg')],
        ['State', text(a, 'status') && bagStatusLabel(text(a, 'status'))],
        ['Store', text(a, 'store_location')],
      ]);
    case 'batch':
      return pairs([
        ['Sheet', text(a, 'sheet_no')],
        ['Traders', text(a, 'trader_status') && traderStatusLabel(text(a, 'trader_status'))],
        ['Finished', a.completed === true ? 'yes' : a.completed === false ? 'no' : ''],
      ]);
    case 'shipment':
      return pairs([
        ['Order', text(a, 'order_code')],
        ['Product', text(a, 'product_name')],
        ['Quantity', kg('quantity_kg')],
        ['State', text(a, 'status') && statusLabel(text(a, 'status'))],
        ['Received', formatPlantTime(text(a, 'accepted_at'))],
        ['Gate remarks', text(a, 'shipment_remarks')],
      ]);
    case 'parcel':
      return pairs([
        ['Filled', kg('amount_kg')],
        ['Schedule', text(a, 'schedule_code')],
        ['From shipment', `${text(a, 'request_code')}/${text(a, 'shipment_code')}`],
      ]);
    case 'schedule':
      return pairs([
        ['Day', dayFirst(text(a, 'schedule_date'))],
        ['Shift', text(a, 'shift').toLowerCase()],
        ['Section', text(a, 'section')],
        ['Order', text(a, 'order_code')],
        ['Quantity', kg('quantity_kg')],
      ]);
    default:
      return '';
  }
}
