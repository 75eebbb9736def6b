import { asDynamic, sql, type AnyKysely } from '@tributary/platform/db';
import type { StepFinding } from '../common/run.js';
import type { SourceRow } from './keyset.js';
import { finding } from './step.js';

/** A bag's stored status times as the originals date them (epoch ms; null: the import's own time). */
export interface BagTimes {
  processed_ms: string | null;
  dispatched_ms: string | null;
  findings: StepFinding[];
}

/** The original's allocation tables a bag of each material consumes through (reference §3.6). */
const INGREDIENT_TABLE: Readonly<Record<string, string>> = {
  tealine: 'tealine_allocate_blendsheet',
  blendbalance: 'blendbalance_allocate_blendsheet',
};
const SHIPMENT_TABLE: Readonly<Record<string, string>> = {
  tealine: 'tealine_allocate_shipment',
  blendsheet: 'blendsheet_allocate_shipment',
};

interface Dated {
  barcode: string;
  kind: 'ingredient' | 'shipment';
  /** The ingredient's batch time, or the shipment as `request/shipment`. */
  at: string;
}

/**
 * MTP kept no time for a bag's status, but it dates what moved it (reference §2.6, §3.3, §3.6):
 * - DISPATCHED: a bag leaves with a shipment, so `dispatched_at` is the earliest
 *   SHIPMENT_DISPATCHED event (`event_ts`) of the shipments it is allocated to;
 * - PROCESSED: the bag was used up by its last allocation, so `processed_at` is the latest of
 *   its allocations' times: an ingredient's batch `created_ts` (the allocation row's own column),
 *   a shipment's ORDER_READY event (only ready shipments take bags).
 * A bag whose allocations give no time keeps the import's time, reported row by row.
 */
export async function bagTimes(
  source: AnyKysely,
  ordersSource: AnyKysely,
  material: string,
  rows: readonly SourceRow[],
): Promise<Map<string, BagTimes>> {
  const wanted = rows.filter((r) => r.status === 'PROCESSED' || r.status === 'DISPATCHED');
  const times = new Map<string, BagTimes>();
  if (wanted.length === 0) return times;
  const barcodes = wanted.map((r) => String(r.barcode));
  const dated: Dated[] = [];
  const ingredients = INGREDIENT_TABLE[material];
  if (ingredients) {
    const { rows: found } = await sql<{ barcode: string; at: string }>`
      select barcode::text as barcode, created_ts::text as at from ${sql.table(ingredients)} where barcode = any(${barcodes}::uuid[])`.execute(
      asDynamic(source),
    );
    dated.push(...found.map((r) => ({ ...r, kind: 'ingredient' as const })));
  }
  const shipments = SHIPMENT_TABLE[material];
  const events = new Map<string, { ready?: string; dispatched?: string }>();
  if (shipments) {
    const { rows: found } = await sql<{ barcode: string; at: string; request_code: string }>`
      select barcode::text as barcode, request_code::text || '/' || shipment_code as at, request_code::text as request_code
      from ${sql.table(shipments)} where barcode = any(${barcodes}::uuid[])`.execute(asDynamic(source));
    dated.push(...found.map((r) => ({ barcode: r.barcode, at: r.at, kind: 'shipment' as const })));
    const requests = [...new Set(found.map((r) => r.request_code))];
    if (requests.length > 0) {
      const { rows: logged } = await sql<{ shipment: string; status: string; event_ts: string }>`
        select request_code::text || '/' || shipment_code as shipment, status, event_ts::text as event_ts from public.order_shipment_event
        where request_code = any(${requests}::bigint[]) and status in ('ORDER_READY', 'SHIPMENT_DISPATCHED')`.execute(
        asDynamic(ordersSource),
      );
      for (const e of logged) {
        const entry = events.get(e.shipment) ?? {};
        if (e.status === 'ORDER_READY') entry.ready = e.event_ts;
        else entry.dispatched = e.event_ts;
        events.set(e.shipment, entry);
      }
    }
  }
  const byBag = new Map<string, Dated[]>();
  for (const d of dated) byBag.set(d.barcode, [...(byBag.get(d.barcode) ?? []), d]);
  for (const row of wanted) {
    const barcode = String(row.barcode);
    const own = byBag.get(barcode) ?? [];
    const table = `${material}_record`;
    if (row.status === 'DISPATCHED') {
      const at = pick(
        own.filter((d) => d.kind === 'shipment').map((d) => events.get(d.at)?.dispatched),
        Math.min,
      );
      times.set(barcode, {
        processed_ms: null,
        dispatched_ms: at,
        findings: at
          ? []
          : [
              finding(
                table,
                barcode,
                'dispatch_time_unknown',
                'fixed',
                "imported as dispatched at the import's time: none of the bag's shipments has a SHIPMENT_DISPATCHED event",
                row,
              ),
            ],
      });
    } else {
      const at = pick(
        own.map((d) => (d.kind === 'ingredient' ? d.at : events.get(d.at)?.ready)),
        Math.max,
      );
      times.set(barcode, {
        processed_ms: at,
        dispatched_ms: null,
        findings: at
          ? []
          : [
              finding(
                table,
                barcode,
                'process_time_unknown',
                'fixed',
                "imported as processed at the import's time: none of the bag's allocations is dated in MTP",
                row,
              ),
            ],
      });
    }
  }
  return times;
}

/** The earliest or latest of the known epoch-ms times, as text (exact beyond 2^53 is not needed: ms since 1970). */
function pick(values: readonly (string | undefined)[], choose: (...n: number[]) => number): string | null {
  const known = values.filter((v): v is string => v !== undefined).map(Number);
  return known.length === 0 ? null : String(choose(...known));
}
