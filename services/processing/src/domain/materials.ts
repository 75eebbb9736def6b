/**
 * The five bag ("record") tables and how each relates to its parent and to the allocation
 * tables. Every dynamic table name in SQL comes from these literals, never from a request.
 */
export const MATERIALS = ['tealine', 'blendsheet', 'flavorsheet', 'herbline', 'blendbalance'] as const;
export type Material = (typeof MATERIALS)[number];

export const RECORD_STATUSES = ['ACCEPTED', 'IN_PROCESS', 'PROCESSED', 'DISPATCHED'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** The table holding the lot/batch a bag belongs to. */
export const PARENT_TABLE: Record<Material, string> = {
  tealine: 'tealine',
  blendsheet: 'blendsheet_batch',
  flavorsheet: 'flavorsheet_batch',
  herbline: 'herbline',
  blendbalance: 'blendbalance',
};

/** Bags that live in herbline-only locations; every other material lives outside them. */
export const HERBLINE_SECTION: Record<Material, boolean> = {
  tealine: false,
  blendsheet: false,
  flavorsheet: false,
  herbline: true,
  blendbalance: false,
};

/** Batch targets a bag can be consumed into (ingredient allocations). */
export type BatchTarget = 'blendsheet' | 'flavorsheet';

/**
 * Which allocations exist per material (§3.6 plus the planned flavorsheet ones). Shipment and
 * ingredient allocations consume the bag; parcels only subdivide a shipment allocation.
 */
export const ALLOCATION_SUPPORT: Record<Material, { ingredientOf: BatchTarget[]; shipment: boolean }> = {
  tealine: { ingredientOf: ['blendsheet'], shipment: true },
  blendbalance: { ingredientOf: ['blendsheet'], shipment: false },
  blendsheet: { ingredientOf: ['flavorsheet'], shipment: true },
  flavorsheet: { ingredientOf: [], shipment: true },
  herbline: { ingredientOf: ['flavorsheet'], shipment: false },
};

export const SHIPPABLE = MATERIALS.filter((m) => ALLOCATION_SUPPORT[m].shipment);
export type ShippableMaterial = 'tealine' | 'blendsheet' | 'flavorsheet';

export const recordTable = (material: Material) => `${material}_record`;
export const shipmentTable = (material: Material) => `${material}_allocate_shipment`;
export const parcelTable = (material: Material) => `${material}_allocate_parcel`;
export const ingredientTable = (material: Material, target: BatchTarget) => `${material}_allocate_${target}`;
export const batchTable = (target: BatchTarget) => `${target}_batch`;

/** Every table whose rows consume a bag of `material` (parcels excluded on purpose). */
export function consumptionTables(material: Material): string[] {
  const support = ALLOCATION_SUPPORT[material];
  return [
    ...support.ingredientOf.map((target) => ingredientTable(material, target)),
    ...(support.shipment ? [shipmentTable(material)] : []),
  ];
}

export function isMaterial(value: string): value is Material {
  return (MATERIALS as readonly string[]).includes(value);
}

const STATUS_RANK: Record<RecordStatus, number> = { ACCEPTED: 0, IN_PROCESS: 1, PROCESSED: 2, DISPATCHED: 3 };

/**
 * scan_record's status: the later of what was stored (reduce/dispatch) and what the
 * allocations imply, so a status never appears to move backwards.
 */
export function effectiveStatus(stored: RecordStatus, allocatedIsZero: boolean, fullyAllocated: boolean): RecordStatus {
  const derived: RecordStatus = fullyAllocated ? 'PROCESSED' : allocatedIsZero ? 'ACCEPTED' : 'IN_PROCESS';
  return STATUS_RANK[derived] > STATUS_RANK[stored] ? derived : stored;
}
