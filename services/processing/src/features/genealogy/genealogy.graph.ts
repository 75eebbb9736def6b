import { dec } from '@tributary/platform/core';
import type { Kysely } from '@tributary/platform/db';
import type { TraceEdge, TraceRelation } from '@tributary/contracts';
import type { ProcessingDb } from '../../db/schema.js';
import { bagId, nodeId, type NodeRef, type ParcelKey } from './genealogy.ids.js';
import {
  bagsByBarcode,
  bagsOfParents,
  findLots,
  ingredientsOfBags,
  ingredientsOfBatches,
  lotsByKey,
  LOT_MATERIALS,
  parcelsOfBags,
  parcelsOfSchedules,
  shipmentAllocationsOfBags,
  shipmentAllocationsOfShipments,
  shipmentsOfVehicles,
  vehiclesOfShipments,
  type BagRow,
  type LotKey,
  type LotMaterial,
  type LotRow,
  type ParcelRow,
  type VehicleRow,
} from './genealogy.repository.js';

export type Direction = 'up' | 'down';

/**
 * The trace as it is walked: breadth first, one level at a time in each direction, every level
 * read with one query per kind of link for the whole frontier. Rows read on the way are kept
 * so the nodes' details cost nothing more for bags, lots, parcels and vehicles.
 */
export class TraceWalk {
  readonly nodes = new Map<string, NodeRef>();
  readonly edges = new Map<string, TraceEdge>();
  readonly bags = new Map<string, BagRow>();
  readonly lots = new Map<string, LotRow>();
  readonly parcels = new Map<string, ParcelRow>();
  readonly vehicles = new Map<string, VehicleRow>();
  /** Shipment id → when processing completed its dispatch (epoch ms). */
  readonly dispatchedMs = new Map<string, string>();

  constructor(private readonly db: Kysely<ProcessingDb>) {}

  /** Walks from the roots in one direction until nothing new is reached; returns the ids reached. */
  async walk(roots: readonly NodeRef[], direction: Direction): Promise<Set<string>> {
    const seen = new Set(roots.map(nodeId));
    for (const root of roots) this.nodes.set(nodeId(root), root);
    let frontier = [...roots];
    while (frontier.length > 0) {
      const next = direction === 'down' ? await this.down(frontier) : await this.up(frontier);
      frontier = [];
      for (const ref of next) {
        const id = nodeId(ref);
        if (seen.has(id)) continue;
        seen.add(id);
        if (!this.nodes.has(id)) this.nodes.set(id, ref);
        frontier.push(ref);
      }
    }
    return seen;
  }

  private edge(from: NodeRef, to: NodeRef, relation: TraceRelation, kg: string | null): void {
    const [a, b] = [nodeId(from), nodeId(to)];
    this.edges.set(`${a}|${b}|${relation}`, { from: a, to: b, relation, quantityKg: kg === null ? null : dec(kg).toFixed(2) });
  }

  private rememberBag(row: BagRow): NodeRef {
    this.bags.set(bagId(row), row);
    return { kind: 'bag', key: { material: row.material, barcode: row.barcode } };
  }

  private rememberParcel(row: ParcelRow): NodeRef {
    const key: ParcelKey = {
      material: row.material,
      barcode: row.barcode,
      request_code: String(row.request_code),
      shipment_code: Number(row.shipment_code),
      schedule_code: String(row.schedule_code),
    };
    const ref: NodeRef = { kind: 'parcel', key };
    this.parcels.set(nodeId(ref), row);
    return ref;
  }

  private async down(frontier: readonly NodeRef[]): Promise<NodeRef[]> {
    const next: NodeRef[] = [];
    const of = <K extends NodeRef['kind']>(kind: K) => frontier.filter((ref): ref is Extract<NodeRef, { kind: K }> => ref.kind === kind);
    const names = (kind: 'garden' | 'broker' | 'invoice') => of(kind).map((ref) => ref.name);
    if (of('garden').length + of('broker').length + of('invoice').length > 0) {
      for (const lot of await findLots(this.db, { garden: names('garden'), broker: names('broker'), invoice: names('invoice') })) {
        const ref = this.rememberLot(lot);
        for (const [kind, relation] of ATTRIBUTIONS) {
          const name = attributionOf(lot, kind);
          if (name !== null && frontier.some((f) => f.kind === kind && f.name === name)) this.edge({ kind, name }, ref, relation, null);
        }
        next.push(ref);
      }
    }
    const lots = of('lot').map((ref) => ref.key);
    const batches = of('batch').map((ref) => ref.key);
    if (lots.length + batches.length > 0) {
      for (const row of await bagsOfParents(this.db, lots, batches)) {
        const bag = this.rememberBag(row);
        const parent = parentOf(row);
        this.edge(parent, bag, parent.kind === 'lot' ? 'bagged' : 'produced', row.net);
        next.push(bag);
      }
    }
    const bags = of('bag').map((ref) => ref.key);
    if (bags.length > 0) {
      for (const row of await ingredientsOfBags(this.db, bags)) {
        const batch: NodeRef = { kind: 'batch', key: { target: row.target, item_code: row.item_code, created_ts: String(row.created_ts) } };
        this.edge({ kind: 'bag', key: { material: row.material, barcode: row.barcode } }, batch, 'ingredient_of', row.amount);
        next.push(batch);
      }
      for (const row of await shipmentAllocationsOfBags(this.db, bags)) {
        const shipment: NodeRef = {
          kind: 'shipment',
          key: { request_code: String(row.request_code), shipment_code: Number(row.shipment_code) },
        };
        this.edge({ kind: 'bag', key: { material: row.material, barcode: row.barcode } }, shipment, 'shipped_in', row.amount);
        next.push(shipment);
      }
      for (const row of await parcelsOfBags(this.db, bags)) {
        const parcel = this.rememberParcel(row);
        this.edge({ kind: 'bag', key: { material: row.material, barcode: row.barcode } }, parcel, 'parcelled', row.amount);
        next.push(parcel);
      }
    }
    for (const parcel of of('parcel')) {
      const schedule: NodeRef = { kind: 'schedule', code: parcel.key.schedule_code };
      this.edge(parcel, schedule, 'filled_into', this.parcels.get(nodeId(parcel))?.amount ?? null);
      next.push(schedule);
    }
    const shipments = of('shipment').map((ref) => ref.key);
    if (shipments.length > 0) {
      for (const row of await vehiclesOfShipments(this.db, shipments)) next.push(this.rememberVehicle(row));
    }
    return next;
  }

  private async up(frontier: readonly NodeRef[]): Promise<NodeRef[]> {
    const next: NodeRef[] = [];
    const of = <K extends NodeRef['kind']>(kind: K) => frontier.filter((ref): ref is Extract<NodeRef, { kind: K }> => ref.kind === kind);
    const unknownBags = of('bag').filter((ref) => !this.bags.has(nodeId(ref)));
    for (const row of await (unknownBags.length
      ? bagsByBarcode(
          this.db,
          unknownBags.map((ref) => ref.key),
        )
      : Promise.resolve([])))
      this.rememberBag(row);
    for (const ref of of('bag')) {
      const row = this.bags.get(nodeId(ref));
      if (!row) continue;
      const parent = parentOf(row);
      this.edge(parent, ref, parent.kind === 'lot' ? 'bagged' : 'produced', row.net);
      next.push(parent);
    }
    const lots = of('lot').filter((ref) => !this.lots.has(nodeId(ref)));
    for (const row of await (lots.length
      ? lotsByKey(
          this.db,
          lots.map((ref) => ref.key),
        )
      : Promise.resolve([])))
      this.rememberLot(row);
    for (const ref of of('lot')) {
      const row = this.lots.get(nodeId(ref));
      if (!row) continue;
      for (const [kind, relation] of ATTRIBUTIONS) {
        const name = attributionOf(row, kind);
        if (name === null) continue;
        const attribution: NodeRef = { kind, name };
        this.edge(attribution, ref, relation, null);
        next.push(attribution);
      }
    }
    const batches = of('batch').map((ref) => ref.key);
    if (batches.length > 0) {
      for (const row of await ingredientsOfBatches(this.db, batches)) {
        const bag: NodeRef = { kind: 'bag', key: { material: row.material, barcode: row.barcode } };
        this.edge(
          bag,
          { kind: 'batch', key: { target: row.target, item_code: row.item_code, created_ts: String(row.created_ts) } },
          'ingredient_of',
          row.amount,
        );
        next.push(bag);
      }
    }
    const shipments = of('shipment').map((ref) => ref.key);
    if (shipments.length > 0) {
      for (const row of await shipmentAllocationsOfShipments(this.db, shipments)) {
        const bag: NodeRef = { kind: 'bag', key: { material: row.material, barcode: row.barcode } };
        this.edge(
          bag,
          { kind: 'shipment', key: { request_code: String(row.request_code), shipment_code: Number(row.shipment_code) } },
          'shipped_in',
          row.amount,
        );
        next.push(bag);
      }
    }
    const vehicles = of('vehicle').map((ref) => ref.vehicle);
    if (vehicles.length > 0) {
      for (const row of await shipmentsOfVehicles(this.db, vehicles)) {
        this.rememberVehicle(row);
        next.push({ kind: 'shipment', key: { request_code: String(row.request_code), shipment_code: Number(row.shipment_code) } });
      }
    }
    const schedules = of('schedule').map((ref) => ref.code);
    if (schedules.length > 0) {
      for (const row of await parcelsOfSchedules(this.db, schedules)) {
        const parcel = this.rememberParcel(row);
        this.edge(parcel, { kind: 'schedule', code: String(row.schedule_code) }, 'filled_into', row.amount);
        next.push(parcel);
      }
    }
    for (const parcel of of('parcel')) {
      const bag: NodeRef = { kind: 'bag', key: { material: parcel.key.material, barcode: parcel.key.barcode } };
      this.edge(bag, parcel, 'parcelled', this.parcels.get(nodeId(parcel))?.amount ?? null);
      next.push(bag);
    }
    return next;
  }

  private rememberLot(row: LotRow): NodeRef {
    const ref: NodeRef = { kind: 'lot', key: { material: row.material, item_code: row.item_code, created_ts: String(row.created_ts) } };
    this.lots.set(nodeId(ref), row);
    return ref;
  }

  private rememberVehicle(row: VehicleRow): NodeRef {
    const shipment: NodeRef = {
      kind: 'shipment',
      key: { request_code: String(row.request_code), shipment_code: Number(row.shipment_code) },
    };
    const vehicle: NodeRef = { kind: 'vehicle', vehicle: row.vehicle };
    this.vehicles.set(nodeId(vehicle), row);
    this.dispatchedMs.set(nodeId(shipment), String(row.dispatched_ms));
    this.edge(shipment, vehicle, 'carried_by', null);
    return vehicle;
  }

  /** Adds a link learnt outside processing (the orders service's dispatch event). */
  addVehicle(shipment: NodeRef, vehicle: string): void {
    const ref: NodeRef = { kind: 'vehicle', vehicle };
    if (!this.nodes.has(nodeId(ref))) this.nodes.set(nodeId(ref), ref);
    this.edge(shipment, ref, 'carried_by', null);
  }
}

const ATTRIBUTIONS: readonly ['garden' | 'broker' | 'invoice', TraceRelation][] = [
  ['garden', 'grew'],
  ['broker', 'brokered'],
  ['invoice', 'invoiced'],
];

const attributionOf = (row: LotRow, kind: 'garden' | 'broker' | 'invoice'): string | null =>
  kind === 'invoice' ? row.invoice_no : row[kind];

const isLotMaterial = (material: string): material is LotMaterial => (LOT_MATERIALS as readonly string[]).includes(material);

/** A bag's lot (received bags) or batch (output bags). */
export function parentOf(row: BagRow): NodeRef {
  const created_ts = String(row.created_ts);
  if (isLotMaterial(row.material))
    return { kind: 'lot', key: { material: row.material, item_code: row.item_code, created_ts } satisfies LotKey };
  return {
    kind: 'batch',
    key: { target: row.material === 'flavorsheet' ? 'flavorsheet' : 'blendsheet', item_code: row.item_code, created_ts },
  };
}

export const isoOf = (epochMs: string | number | null | undefined): string | null =>
  epochMs === null || epochMs === undefined ? null : new Date(Number(epochMs)).toISOString();
