import { dbErrorKind } from '@tributary/platform/db';
import type { Selectable } from 'kysely';
import { ErpError } from '../../errors.js';
import type { TerritoryMappingTable } from '../../db/schema.js';
import { runCommand, type Actor, type ErpDeps } from '../../shared/context.js';
import { emitCustomerEvent } from './customer-events.js';
import { isoDate, isoDateOrNull } from '../../shared/dates.js';
import { generatedName, newDoc, touched } from '../../shared/docs.js';
import { show } from '../../shared/numbers.js';
import { inForce, lockCustomer, overlaps, today } from './assignments.service.js';

/** Customers that span several territories: many mappings, at most one primary in force on any day. */
const TABLE = 'tabHD Customer Territory Mapping' as const;

function toOut(row: Selectable<TerritoryMappingTable>) {
  return {
    name: row.name,
    customer: row.customer,
    territory: row.territory,
    is_primary: Number(row.is_primary) === 1,
    effective_from: isoDate(row.effective_from),
    effective_to: isoDateOrNull(row.effective_to),
    mapping_reason: row.mapping_reason,
    delivery_preference: row.delivery_preference,
    sales_person: row.sales_person,
    delivery_cost_factor: show(row.delivery_cost_factor),
    service_level: row.service_level,
  };
}

export interface TerritoryInput {
  territory: string;
  is_primary?: boolean;
  effective_from?: string;
  effective_to?: string | null;
  mapping_reason?: string;
  delivery_preference?: string;
  sales_person?: string;
  delivery_cost_factor?: string;
  service_level?: string;
}

export async function mapTerritory(deps: ErpDeps, customer: string, input: TerritoryInput, actor: Actor) {
  const from = input.effective_from ?? today(deps);
  const to = input.effective_to ?? null;
  if (to !== null && to <= from) throw ErpError.ASSIGNMENT_DATES_INVALID('effective_to must be after effective_from');
  const out = await runCommand(deps, actor, async (trx) => {
    await lockCustomer(trx, customer);
    const existing = (await trx.selectFrom(TABLE).selectAll().where('customer', '=', customer).forUpdate().execute()).map((r) => toOut(r));
    const wanted = { from, to };
    const clash = existing.find(
      (m) =>
        overlaps({ from: m.effective_from, to: m.effective_to }, wanted) &&
        (m.territory === input.territory || (input.is_primary === true && m.is_primary)),
    );
    if (clash) {
      throw ErpError.TERRITORY_MAPPING_OVERLAP(
        clash.territory === input.territory
          ? `customer ${customer} is already mapped to ${input.territory} then`
          : `customer ${customer} already has a primary territory then`,
        {
          details: { conflicting: clash.name },
        },
      );
    }
    const name = generatedName('HD-CTM');
    try {
      await trx
        .insertInto(TABLE)
        .values({
          ...newDoc(name, deps.clock.now(), actor.user),
          customer,
          territory: input.territory,
          is_primary: input.is_primary ? 1 : 0,
          effective_from: from,
          effective_to: to,
          mapping_reason: input.mapping_reason ?? null,
          delivery_preference: input.delivery_preference ?? null,
          sales_person: input.sales_person ?? null,
          ...(input.delivery_cost_factor ? { delivery_cost_factor: input.delivery_cost_factor } : {}),
          service_level: input.service_level ?? null,
        })
        .execute();
    } catch (error) {
      if (dbErrorKind(error) === 'unique')
        throw ErpError.TERRITORY_MAPPING_OVERLAP(`customer ${customer} is already mapped to ${input.territory} from ${from}`);
      throw error;
    }
    const row = toOut(await trx.selectFrom(TABLE).selectAll().where('name', '=', name).executeTakeFirstOrThrow());
    await emitCustomerEvent(trx, 'erp.customer.territory_mapped', customer, row, actor, deps.clock.now());
    return row;
  });
  return out;
}

export async function endTerritory(deps: ErpDeps, customer: string, mapping: string, input: { effective_to?: string }, actor: Actor) {
  const out = await runCommand(deps, actor, async (trx) => {
    await lockCustomer(trx, customer);
    const row = await trx.selectFrom(TABLE).selectAll().where('name', '=', mapping).where('customer', '=', customer).executeTakeFirst();
    if (!row) throw ErpError.TERRITORY_MAPPING_NOT_FOUND(`territory mapping ${mapping} of ${customer} not found`);
    const current = toOut(row);
    let end = input.effective_to ?? today(deps);
    if (end < current.effective_from) end = current.effective_from;
    if (current.effective_to !== null && current.effective_to < end) end = current.effective_to;
    await trx
      .updateTable(TABLE)
      .set({ effective_to: end, ...touched(deps.clock.now(), actor.user) })
      .where('name', '=', mapping)
      .execute();
    const updated = toOut(await trx.selectFrom(TABLE).selectAll().where('name', '=', mapping).executeTakeFirstOrThrow());
    await emitCustomerEvent(trx, 'erp.customer.territory_ended', customer, updated, actor, deps.clock.now());
    return updated;
  });
  return out;
}

export async function listTerritories(deps: ErpDeps, customer: string, asOf?: string) {
  const rows = await deps.db
    .selectFrom(TABLE)
    .selectAll()
    .where('customer', '=', customer)
    .orderBy('effective_from', 'desc')
    .orderBy('name')
    .execute();
  return rows.map((r) => toOut(r)).filter((m) => asOf === undefined || inForce({ from: m.effective_from, to: m.effective_to }, asOf));
}

/** The customer's own territory plus every mapping in force that day. */
export async function territoriesInForce(deps: ErpDeps, customer: string, home: string | null, day: string): Promise<string[]> {
  const mapped = await listTerritories(deps, customer, day);
  return [...new Set([...(home ? [home] : []), ...mapped.map((m) => m.territory)])];
}
