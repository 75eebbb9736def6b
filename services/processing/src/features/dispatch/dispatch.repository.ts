import type { Kysely, Selectable } from '@tributary/platform/db';
import type { ProcessingDb, ShipmentDispatchTable } from '../../db/schema.js';

export type DispatchState = 'running' | 'completed' | 'failed';
export type StepState = 'done' | 'compensated' | 'failed';

export interface StepOutcome {
  step: string;
  state: StepState;
  at: number;
  code?: string;
}

export interface DispatchRow {
  dispatch_key: string;
  request_code: string;
  shipment_code: number;
  shipment_vehicle: string;
  bags: string;
  state: DispatchState;
  steps: StepOutcome[];
  result: unknown;
  error: unknown;
  attempts: number;
  updated_at: number;
}

const TABLE = 'shipment_dispatch';

function toRow(row: Selectable<ShipmentDispatchTable>): DispatchRow {
  return {
    dispatch_key: row.dispatch_key,
    request_code: String(row.request_code),
    shipment_code: Number(row.shipment_code),
    shipment_vehicle: row.shipment_vehicle,
    bags: row.bags,
    state: row.state,
    steps: JSON.parse(row.steps) as StepOutcome[],
    result: row.result ? JSON.parse(row.result) : null,
    error: row.error ? JSON.parse(row.error) : null,
    attempts: Number(row.attempts),
    updated_at: Number(row.updated_at),
  };
}

export async function lockDispatch(db: Kysely<ProcessingDb>, key: string): Promise<DispatchRow | undefined> {
  const row = await db.selectFrom(TABLE).selectAll().where('dispatch_key', '=', key).forUpdate().executeTakeFirst();
  return row ? toRow(row) : undefined;
}

export async function insertDispatch(
  db: Kysely<ProcessingDb>,
  row: Omit<DispatchRow, 'steps' | 'result' | 'error' | 'attempts' | 'state' | 'updated_at'>,
  now: number,
): Promise<void> {
  await db
    .insertInto(TABLE)
    .values({ ...row, state: 'running', steps: '[]', attempts: 1, created_at: now, updated_at: now })
    .execute();
}

export async function restartDispatch(db: Kysely<ProcessingDb>, key: string, now: number): Promise<void> {
  await db
    .updateTable(TABLE)
    .set((eb) => ({ state: 'running', error: null, attempts: eb('attempts', '+', 1), updated_at: now }))
    .where('dispatch_key', '=', key)
    .execute();
}

export async function recordStep(db: Kysely<ProcessingDb>, key: string, steps: StepOutcome[], now: number): Promise<void> {
  await db
    .updateTable(TABLE)
    .set({ steps: JSON.stringify(steps), updated_at: now })
    .where('dispatch_key', '=', key)
    .execute();
}

export async function finishDispatch(
  db: Kysely<ProcessingDb>,
  key: string,
  state: 'completed' | 'failed',
  outcome: { result?: unknown; error?: unknown },
  now: number,
): Promise<void> {
  await db
    .updateTable(TABLE)
    .set({
      state,
      result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
      error: outcome.error === undefined ? null : JSON.stringify(outcome.error),
      updated_at: now,
    })
    .where('dispatch_key', '=', key)
    .execute();
}

export async function findDispatch(db: Kysely<ProcessingDb>, key: string): Promise<DispatchRow | undefined> {
  const row = await db.selectFrom(TABLE).selectAll().where('dispatch_key', '=', key).executeTakeFirst();
  return row ? toRow(row) : undefined;
}
