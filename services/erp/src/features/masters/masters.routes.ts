import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import type { ErrorThrower } from '@tributary/platform/core';
import { asDynamic, dbErrorKind } from '@tributary/platform/db';
import type { FieldCipher } from '@tributary/platform/crypto';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { ErpError } from '../../errors.js';
import { erpRouteOptions } from '../../access.js';
import { newDoc, pageOf, selectPage, touched } from '../../shared/docs.js';
import { runCommand, actorOf, emit, type ErpDeps, type ErpEventType } from '../../shared/context.js';
import { show } from '../../shared/numbers.js';
import { DocName, NameParams, NonNegativeDecimal, Nullable, Paging, page } from '../../shared/schemas.js';
import { emailIndex, openCustomer, PiiSchemas, sealCustomer, withoutPii } from './customer-pii.js';

/**
 * The ERPNext masters this service needs (customers, items, warehouses). Beside a real ERPNext
 * these rows come from ERPNext itself; embedded, they are maintained here.
 */
interface MasterSpec {
  path: string;
  table: 'tabCustomer' | 'tabItem' | 'tabWarehouse';
  tag: string;
  aggregate: string;
  notFound: ErrorThrower;
  /** Column holding the human name; also the default document name. */
  titleField: string;
  /** Editable columns and their schema; decimals are listed in `decimals`. */
  fields: TObject;
  decimals: string[];
  filters: string[];
  events: { created: ErpEventType; updated: ErpEventType };
  /** Holds personal data: encrypted at rest, left out of events, filterable by email (customers). */
  personal?: boolean;
}

const Text140 = Type.String({ minLength: 1, maxLength: 140 });
const Flag = Type.Union([Type.Literal(0), Type.Literal(1)]);

export const masterSpecs: MasterSpec[] = [
  {
    path: '/customers',
    table: 'tabCustomer',
    tag: 'customers',
    aggregate: 'customer',
    notFound: ErpError.CUSTOMER_NOT_FOUND,
    titleField: 'customer_name',
    fields: Type.Object({
      customer_name: Text140,
      customer_group: Type.Optional(Nullable(Text140)),
      territory: Type.Optional(Nullable(Text140)),
      customer_type: Type.Optional(Nullable(Type.Union([Type.Literal('Company'), Type.Literal('Individual')]))),
      disabled: Type.Optional(Flag),
      credit_limit: Type.Optional(NonNegativeDecimal()),
      payment_terms: Type.Optional(Nullable(Text140)),
      ...PiiSchemas,
    }),
    decimals: ['credit_limit'],
    filters: ['customer_group', 'territory', 'disabled'],
    events: { created: 'erp.customer.created', updated: 'erp.customer.updated' },
    personal: true,
  },
  {
    path: '/items',
    table: 'tabItem',
    tag: 'items',
    aggregate: 'item',
    notFound: ErpError.ITEM_NOT_FOUND,
    titleField: 'item_code',
    fields: Type.Object({
      item_code: Text140,
      item_name: Type.Optional(Nullable(Text140)),
      item_group: Type.Optional(Nullable(Text140)),
      brand: Type.Optional(Nullable(Text140)),
      stock_uom: Type.Optional(Nullable(Text140)),
      standard_rate: Type.Optional(NonNegativeDecimal()),
      has_batch_no: Type.Optional(Flag),
      disabled: Type.Optional(Flag),
    }),
    decimals: ['standard_rate'],
    filters: ['item_group', 'brand', 'disabled'],
    events: { created: 'erp.item.created', updated: 'erp.item.updated' },
  },
  {
    path: '/warehouses',
    table: 'tabWarehouse',
    tag: 'warehouses',
    aggregate: 'warehouse',
    notFound: ErpError.WAREHOUSE_NOT_FOUND,
    titleField: 'warehouse_name',
    fields: Type.Object({ warehouse_name: Text140, is_group: Type.Optional(Flag), disabled: Type.Optional(Flag) }),
    decimals: [],
    filters: ['disabled'],
    events: { created: 'erp.warehouse.created', updated: 'erp.warehouse.updated' },
  },
];

const STD_OUT = {
  name: Type.String(),
  creation: Type.String(),
  modified: Type.String(),
  owner: Nullable(Type.String()),
  modified_by: Nullable(Type.String()),
  docstatus: Type.Integer(),
};

const FLAGS = ['disabled', 'is_group', 'has_batch_no'];

function outputSchema(spec: MasterSpec) {
  const props: Record<string, TSchema> = { ...STD_OUT };
  for (const key of Object.keys(spec.fields.properties)) {
    props[key] = Type.Optional(Nullable(FLAGS.includes(key) ? Type.Integer() : Type.String()));
  }
  return Type.Object(props);
}

export function toMasterOut(spec: MasterSpec, row: Record<string, unknown>) {
  const out: Record<string, unknown> = {
    name: row.name,
    creation: (row.creation as Date).toISOString(),
    modified: (row.modified as Date).toISOString(),
    owner: row.owner,
    modified_by: row.modified_by,
    docstatus: Number(row.docstatus),
  };
  for (const key of Object.keys(spec.fields.properties)) {
    const value = row[key];
    out[key] = spec.decimals.includes(key) && value !== null && value !== undefined ? show(String(value)) : value;
  }
  for (const flag of FLAGS) if (flag in out && out[flag] !== undefined) out[flag] = Number(out[flag]);
  return out;
}

/** `cipher` encrypts the personal fields of customers (the only feature holding personal data). */
export function registerMasterRoutes(app: HttpApp, deps: ErpDeps, cipher: FieldCipher): void {
  // Master tables are chosen from masterSpecs at run time, so their columns are named, not typed.
  const db = asDynamic(deps.db);
  for (const spec of masterSpecs) {
    const Out = outputSchema(spec);
    // Decrypts after the transaction, never inside it (see sealCustomer).
    const opened = async (row: Record<string, unknown>) => toMasterOut(spec, spec.personal ? await openCustomer(cipher, row) : row);
    const eventOf = (row: Record<string, unknown>, changed: string[]) =>
      spec.personal ? withoutPii(toMasterOut(spec, row), changed) : toMasterOut(spec, row);
    const CreateBody = Type.Composite([Type.Object({ name: Type.Optional(DocName()) }), spec.fields], { additionalProperties: false });
    const PatchBody = Type.Partial(spec.fields, { additionalProperties: false, minProperties: 1 });
    const ListQuery = Type.Object({
      ...Paging,
      // Flags filter as 0/1 (a free string compared with an integer column was a 500 on PostgreSQL
      // and silently 0 on MariaDB).
      ...Object.fromEntries(
        spec.filters.map((f) => [
          f,
          Type.Optional(FLAGS.includes(f) ? Type.Integer({ minimum: 0, maximum: 1 }) : Type.String({ maxLength: 140 })),
        ]),
      ),
      q: Type.Optional(Type.String({ maxLength: 140, description: 'substring of the name' })),
      ...(spec.personal
        ? {
            email_id: Type.Optional(
              Type.String({ minLength: 1, maxLength: 140, description: 'exact email (case-insensitive), through the blind index' }),
            ),
          }
        : {}),
    });

    const access = erpRouteOptions(deps.config, [spec.tag]);
    app.post(
      spec.path,
      access('writeMasters', `Create a ${spec.aggregate}`, {
        body: CreateBody,
        response: { 201: Out, 400: errorResponseSchema, 409: errorResponseSchema },
      }),
      async (request, reply) => {
        const body = request.body as Record<string, unknown>;
        const actor = actorOf(request, deps);
        const name = (body.name as string | undefined) ?? String(body[spec.titleField]);
        const { name: _ignored, ...plain } = body;
        const fields = spec.personal ? await sealCustomer(cipher, plain) : plain;
        const now = deps.clock.now();
        const row = await runCommand(deps, actor, async (trx) => {
          try {
            await trx
              .insertInto(spec.table)
              .values({ ...newDoc(name, now, actor.user), ...fields })
              .execute();
          } catch (error) {
            if (dbErrorKind(error) === 'unique') throw ErpError.MASTER_EXISTS(`${spec.aggregate} ${name} already exists`);
            throw error;
          }
          const created = await trx.selectFrom(spec.table).selectAll().where('name', '=', name).executeTakeFirstOrThrow();
          await emit(
            trx,
            { type: spec.events.created, aggregateType: spec.aggregate, aggregateId: name, payload: eventOf(created, Object.keys(plain)) },
            actor,
            now,
          );
          return created;
        });
        return reply.code(201).send(await opened(row));
      },
    );

    app.get(spec.path, access('read', `List ${spec.tag}`, { querystring: ListQuery, response: { 200: page(Out) } }), async (request) => {
      const query = request.query as Record<string, unknown> & { limit: number; offset: number };
      let select = db.selectFrom(spec.table).selectAll();
      for (const filter of spec.filters) if (query[filter] !== undefined) select = select.where(filter, '=', query[filter]);
      if (spec.personal && query.email_id !== undefined)
        select = select.where('email_id_bidx', '=', await emailIndex(cipher, String(query.email_id)));
      if (query.q) select = select.where('name', 'like', `%${String(query.q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      const rows = await selectPage(select.orderBy('name'), query);
      const out = [];
      for (const row of rows) out.push(await opened(row));
      return pageOf(out, query.limit, query.offset);
    });

    app.get(
      `${spec.path}/:name`,
      access('read', `Get a ${spec.aggregate}`, { params: NameParams, response: { 200: Out, 404: errorResponseSchema } }),
      async (request) => {
        const row = await db.selectFrom(spec.table).selectAll().where('name', '=', request.params.name).executeTakeFirst();
        if (!row) throw spec.notFound(`${spec.aggregate} ${request.params.name} not found`);
        return opened(row);
      },
    );

    app.patch(
      `${spec.path}/:name`,
      access('writeMasters', `Update a ${spec.aggregate}`, {
        params: NameParams,
        body: PatchBody,
        response: { 200: Out, 400: errorResponseSchema, 404: errorResponseSchema },
      }),
      async (request) => {
        const actor = actorOf(request, deps);
        const now = deps.clock.now();
        const changes = request.body as Record<string, unknown>;
        const sealed = spec.personal ? await sealCustomer(cipher, changes) : changes;
        const row = await runCommand(deps, actor, async (trx) => {
          const result = await trx
            .updateTable(spec.table)
            .set({ ...sealed, ...touched(now, actor.user) })
            .where('name', '=', request.params.name)
            .executeTakeFirst();
          if (Number(result.numUpdatedRows) === 0) throw spec.notFound(`${spec.aggregate} ${request.params.name} not found`);
          const updated = await trx.selectFrom(spec.table).selectAll().where('name', '=', request.params.name).executeTakeFirstOrThrow();
          await emit(
            trx,
            {
              type: spec.events.updated,
              aggregateType: spec.aggregate,
              aggregateId: request.params.name,
              payload: eventOf(updated, Object.keys(changes)),
            },
            actor,
            now,
          );
          return updated;
        });
        return opened(row);
      },
    );
  }
}
