import type { Migration } from '@tributary/platform/migrate';
import { runStatements } from './sql.js';

/**
 * MTP integration state (ADR 0601): each dispatch saga with its step outcomes, keyed by the
 * caller's Idempotency-Key, and the local copy of the orders service's shipments that keeps
 * `GET /app/shipment` answering (marked stale) while orders is down.
 */
export const mtpIntegrationMigration: Migration = {
  name: '0005_mtp_integration',
  async up(db) {
    await runStatements(db, [
      `create table shipment_dispatch (
        dispatch_key text primary key,
        request_code bigint not null,
        shipment_code integer not null,
        shipment_vehicle text not null,
        bags text not null,
        state text not null check (state in ('running', 'completed', 'failed')),
        steps text not null default '[]',
        result text,
        error text,
        attempts integer not null default 1,
        created_at bigint not null,
        updated_at bigint not null
      )`,
      `create table orders_shipment_copy (
        request_code bigint not null,
        shipment_code integer not null,
        order_code text not null,
        product_name text not null,
        requirement numeric(16,3) not null,
        comments text,
        quantity numeric(16,3) not null,
        status text not null,
        events text not null default '[]',
        updated_at bigint not null,
        primary key (request_code, shipment_code)
      )`,
      `create table orders_copy_state (id integer primary key, last_event_at bigint not null, last_refresh_at bigint)`,
    ]);
  },
};
