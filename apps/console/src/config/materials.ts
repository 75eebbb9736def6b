/** The plant's names for the record tables a bag or batch belongs to. */
const MATERIALS: Record<string, string> = {
  tealine: 'Tea (tealine)',
  blendsheet: 'Blend',
  flavorsheet: 'Flavoured blend',
  herbline: 'Herbs',
  blendbalance: 'Blend balance',
};

export function materialName(table: string): string {
  return MATERIALS[table] ?? table;
}

/** A bag's state at Seeduwa (reference §4.1). */
const BAG_STATUSES: Record<string, string> = {
  ACCEPTED: 'In store',
  IN_PROCESS: 'Partly used',
  PROCESSED: 'Used up, not yet sent',
  DISPATCHED: 'Sent to Grandpass',
};

export function bagStatusLabel(status: string): string {
  return BAG_STATUSES[status] ?? status;
}
