import type { Migration } from '@tributary/platform/migrate';
import { runStatements } from './sql.js';

const itemKey = `item_code text not null, created_ts bigint not null`;
const itemFk = `foreign key (item_code, created_ts) references item (item_code, created_ts)`;

/**
 * Items, lots, recipes and batches (reference §3.1–3.3, §3.5). Weights are exact numerics with
 * the original's precisions; every rule the original left to the application gets a CHECK.
 * Refusals raised by the rule functions use SQLSTATE TR409 (a rule refused the change) or
 * TR404 (a referenced row is missing); the message is the service's stable error code.
 */
export const masterDataMigration: Migration = {
  name: '0001_master_data',
  up: (db) =>
    runStatements(db, [
      `create function tb_epoch_ms() returns bigint language sql volatile as $$ select floor(extract(epoch from clock_timestamp()) * 1000)::bigint $$`,
      `create function tb_refuse(code text, detail text) returns void language plpgsql as $$
       begin raise exception using errcode = 'TR409', message = code, detail = detail; end $$`,
      `create function tb_missing(code text, detail text) returns void language plpgsql as $$
       begin raise exception using errcode = 'TR404', message = code, detail = detail; end $$`,
      `create table store_location (
         location_name text primary key check (length(location_name) between 1 and 100),
         herbline_section boolean not null default false)`,
      `create table item (
         item_code text not null check (length(item_code) between 1 and 100),
         created_ts bigint not null default tb_epoch_ms() check (created_ts >= 0),
         primary key (item_code, created_ts))`,
      `create table tealine (
         ${itemKey},
         invoice_no text, grade text,
         no_of_bags integer not null check (no_of_bags > 0),
         weight_per_bag numeric(5,2) not null check (weight_per_bag > 0),
         broker text, garden text, purchase_order text,
         primary key (item_code, created_ts), ${itemFk})`,
      `create table herbline (
         item_code text not null, item_name text not null, created_ts bigint not null,
         purchase_order text,
         weight numeric(1000,2) check (weight > 0),
         primary key (item_code, created_ts), ${itemFk})`,
      `create table blendbalance (
         ${itemKey},
         blend_code text not null, transfer_id text not null,
         weight numeric(1000,2) not null check (weight > 0),
         primary key (created_ts, item_code), ${itemFk})`,
      `create table blendsheet (
         blendsheet_no text primary key check (length(blendsheet_no) between 1 and 100),
         standard text not null, grade text, remarks text not null,
         no_of_batches integer not null default 1 check (no_of_batches >= 1),
         total numeric(8,2) not null check (total >= 0),
         blend_code text)`,
      `create table blendsheet_mix_tealine (
         blendsheet_no text not null references blendsheet (blendsheet_no),
         mixture_code text not null check (length(mixture_code) >= 1),
         no_of_bags integer not null check (no_of_bags > 0),
         primary key (blendsheet_no, mixture_code))`,
      `create table blendsheet_mix_blendbalance (
         blendsheet_no text not null references blendsheet (blendsheet_no),
         mixture_code text not null check (length(mixture_code) >= 1),
         weight numeric(1000,2) not null check (weight > 0),
         primary key (blendsheet_no, mixture_code))`,
      `create table flavorsheet (
         flavorsheet_no text primary key check (length(flavorsheet_no) between 1 and 100),
         flavor_code text not null, remarks text not null)`,
      `create table flavorsheet_mix (
         flavorsheet_no text not null references flavorsheet (flavorsheet_no),
         mixture_code text not null check (length(mixture_code) >= 1),
         weight numeric(1000,2) not null check (weight > 0),
         primary key (flavorsheet_no, mixture_code))`,
      `create table blendsheet_batch (
         ${itemKey},
         blendsheet_no text not null references blendsheet (blendsheet_no),
         batch_no integer not null check (batch_no >= 1),
         completed boolean not null default false,
         humidity real, density real,
         trader_status text check (trader_status in ('TRADER_PENDING', 'TRADER_REQUESTED', 'TRADER_ELEVATED', 'TRADER_ALLOWED', 'TRADER_BLOCKED')),
         primary key (item_code, created_ts), ${itemFk},
         unique (blendsheet_no, batch_no))`,
      // At most one batch per flavorsheet (§6.8 rule 11): the unique key says so.
      `create table flavorsheet_batch (
         ${itemKey},
         flavorsheet_no text not null unique references flavorsheet (flavorsheet_no),
         completed boolean not null default false,
         primary key (item_code, created_ts), ${itemFk})`,
    ]),
};
