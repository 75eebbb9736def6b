import { Type } from '@sinclair/typebox';
import { ORDERS_AGGREGATES, ORDERS_EVENT_TYPES, type ScheduleCompletedPayload, type ScheduleCreatedPayload } from '@tributary/contracts';
import { decodeCursor, PAGE_LIMIT_DEFAULT, pageOf, type Page } from '@tributary/platform/core';
import { writeEvents, type OutboxEventInput } from '@tributary/platform/outbox';
import { runCommand, type Command, type ScheduleDeps } from '../../deps.js';
import { OrdersError } from '../../errors.js';
import { groupBy } from '../../group.js';
import { kg, kgToPositiveGrams, requireDate } from '../../units.js';
import { lockPlans } from '../plans/plans.repository.js';
import * as repo from './schedules.repository.js';
import type {
  ScheduleCompleteBody,
  ScheduleCreateBody,
  ScheduleDone,
  ScheduleListQuery,
  ScheduleOut,
  ScheduleWithShipments,
} from './schedules.schemas.js';

const scheduleOut = (row: repo.ScheduleRow): ScheduleOut => ({
  schedule_code: Number(row.schedule_code),
  schedule_date: row.schedule_date,
  order_code: row.order_code,
  shift: row.shift,
  section: row.section,
  quantity: kg(row.quantity),
});
const scheduleDone = (row: repo.ScheduleRow): ScheduleDone => ({ ...scheduleOut(row), completed: row.completed });

export async function listSchedules(deps: ScheduleDeps, query: ScheduleListQuery): Promise<ScheduleWithShipments[]> {
  return withShipments(deps, await repo.listSchedules(deps.db, scheduleFilter(query)));
}

const ScheduleCursor = Type.Tuple([Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }), Type.String({ pattern: '^[0-9]{1,19}$' })]);

/** A page of schedules in (schedule_date, schedule_code) order. */
export async function listSchedulesPage(deps: ScheduleDeps, query: ScheduleListQuery): Promise<Page<ScheduleWithShipments>> {
  const limit = query.limit ?? PAGE_LIMIT_DEFAULT;
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, ScheduleCursor);
  const rows = await repo.listSchedules(deps.db, scheduleFilter(query), { ...(after ? { after } : {}), limit: limit + 1 });
  const page = pageOf(rows, limit, (row) => [row.schedule_date, String(row.schedule_code)]);
  return { items: await withShipments(deps, page.items), next: page.next };
}

function scheduleFilter(query: ScheduleListQuery): { date?: string; completed?: boolean } {
  const date = query.schedule_date === undefined ? undefined : requireDate(query.schedule_date, 'schedule_date');
  return { ...(date ? { date } : {}), ...(query.completed !== undefined ? { completed: query.completed } : {}) };
}

async function withShipments(deps: ScheduleDeps, rows: readonly repo.ScheduleRow[]): Promise<ScheduleWithShipments[]> {
  const accepted = groupBy(
    await repo.acceptedShipments(
      deps.db,
      rows.map((row) => row.order_code),
    ),
    (s) => s.order_code,
  );
  return rows.map((row) => ({
    ...scheduleDone(row),
    accepted_shipments: (accepted.get(row.order_code) ?? []).map((s) => ({
      request_code: Number(s.request_code),
      shipment_code: s.shipment_code,
    })),
  }));
}

export async function createSchedules(deps: ScheduleDeps, command: Command, body: ScheduleCreateBody): Promise<ScheduleOut[]> {
  const items = body.map((item, index) => ({
    ...item,
    index,
    schedule_date: requireDate(item.schedule_date, `[${index}].schedule_date`),
    grams: kgToPositiveGrams(item.quantity, `[${index}].quantity`),
  }));
  return runCommand(deps, command, async (trx) => {
    // A shared lock would do; FOR UPDATE keeps one lock kind (and order) for every plan reader.
    const plans = await lockPlans(
      trx,
      items.map((item) => item.order_code),
    );
    const missing = items.find((item) => !plans.has(item.order_code));
    if (missing)
      throw OrdersError.PLAN_NOT_FOUND(`No plan ${missing.order_code}`, {
        details: { index: missing.index, order_code: missing.order_code },
      });
    const created: repo.ScheduleRow[] = [];
    const events: OutboxEventInput[] = [];
    for (const item of items) {
      const row = await repo.insertSchedule(trx, {
        schedule_date: item.schedule_date,
        order_code: item.order_code,
        shift: item.shift,
        section: item.section.trim(),
        quantity: item.grams,
        created_at: command.now,
      });
      created.push(row);
      events.push({
        aggregateType: ORDERS_AGGREGATES.schedule,
        aggregateId: String(row.schedule_code),
        type: ORDERS_EVENT_TYPES.scheduleCreated,
        payload: {
          scheduleCode: String(row.schedule_code),
          scheduleDate: row.schedule_date,
          orderCode: row.order_code,
          shift: row.shift,
          section: row.section,
          quantityKg: kg(row.quantity),
        } satisfies ScheduleCreatedPayload,
      });
    }
    await writeEvents(trx, events, { now: () => command.now });
    return created.map(scheduleOut);
  });
}

/** Completing is idempotent: an already completed schedule is returned as it is, with no new event. */
export async function completeSchedules(deps: ScheduleDeps, command: Command, body: ScheduleCompleteBody): Promise<ScheduleDone[]> {
  const codes = body.map((item) => String(item.schedule_code));
  return runCommand(deps, command, async (trx) => {
    const found = await repo.lockSchedules(trx, codes);
    const missingIndex = codes.findIndex((code) => !found.has(code));
    if (missingIndex >= 0) {
      throw OrdersError.SCHEDULE_NOT_FOUND(`No schedule ${codes[missingIndex]}`, {
        details: { index: missingIndex, schedule_code: codes[missingIndex] },
      });
    }
    const results: repo.ScheduleRow[] = [];
    const events: OutboxEventInput[] = [];
    for (const code of codes) {
      const row = found.get(code)!;
      if (row.completed) {
        results.push(row);
        continue;
      }
      const done = await repo.markCompleted(trx, code, command.now);
      found.set(code, done);
      results.push(done);
      events.push({
        aggregateType: ORDERS_AGGREGATES.schedule,
        aggregateId: code,
        type: ORDERS_EVENT_TYPES.scheduleCompleted,
        payload: { scheduleCode: code, orderCode: done.order_code, completedAt: command.now } satisfies ScheduleCompletedPayload,
      });
    }
    await writeEvents(trx, events, { now: () => command.now });
    return results.map(scheduleDone);
  });
}
