import { inTransaction, sql } from '@tributary/platform/db';
import type { ServiceContext } from '@tributary/platform/service';

/** Fixed keys make the demo data idempotent: a second run finds them and adds nothing. */
export const SEED = {
  locations: [
    { location_name: 'SEEDUWA-STORE-A', herbline_section: false },
    { location_name: 'SEEDUWA-STORE-B', herbline_section: false },
    { location_name: 'SEEDUWA-HERB-1', herbline_section: true },
  ],
  tealine: {
    item_code: 'T240225',
    created_ts: '1708819200000',
    no_of_bags: 10,
    weight_per_bag: '50.00',
    broker: 'Forbes & Walker',
    garden: 'Pedro',
    grade: 'BOPF',
    invoice_no: 'INV-2402-118',
    purchase_order: 'PO-7781',
  },
  bags: [
    { gross_weight: '51.20', bag_weight: '1.20' },
    { gross_weight: '50.85', bag_weight: '1.15' },
    { gross_weight: '51.05', bag_weight: '1.25' },
  ],
  blendsheet: {
    blendsheet_no: 'BS/2024/0192',
    standard: 'STD-EB-12',
    grade: 'BOPF',
    remarks: 'Breakfast blend',
    no_of_batches: 3,
    total: '1200.00',
    blend_code: 'BLT00192',
  },
  mixtures: [
    { mixture_code: 'BOPF-PEDRO', no_of_bags: 6 },
    { mixture_code: 'BOP-UVA', no_of_bags: 4 },
  ],
};

/** Demo data for a first start: locations, one tealine lot with three bags, one blendsheet. */
export async function seed(context: ServiceContext): Promise<void> {
  await inTransaction(context.database.db, async (trx) => {
    for (const location of SEED.locations) {
      await trx
        .insertInto('store_location')
        .values(location)
        .onConflict((oc) => oc.column('location_name').doNothing())
        .execute();
    }
    const { item_code, created_ts } = SEED.tealine;
    await trx
      .insertInto('item')
      .values({ item_code, created_ts })
      .onConflict((oc) => oc.columns(['item_code', 'created_ts']).doNothing())
      .execute();
    await trx
      .insertInto('tealine')
      .values(SEED.tealine)
      .onConflict((oc) => oc.columns(['item_code', 'created_ts']).doNothing())
      .execute();
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from tealine_record where item_code = ${item_code} and created_ts = ${created_ts}`.execute(trx);
    if (rows[0]!.n === 0) {
      for (const [index, bag] of SEED.bags.entries()) {
        await sql`insert into tealine_record (item_code, created_ts, bag_no, received_ts, store_location, bag_weight, gross_weight, status, remaining)
                  values (${item_code}, ${created_ts}, 1, ${Number(created_ts) + 60_000 * (index + 1)}, 'SEEDUWA-STORE-A', ${bag.bag_weight}, ${bag.gross_weight}, 'ACCEPTED', 0)`.execute(
          trx,
        );
      }
    }
    await trx
      .insertInto('blendsheet')
      .values(SEED.blendsheet)
      .onConflict((oc) => oc.column('blendsheet_no').doNothing())
      .execute();
    for (const mix of SEED.mixtures) {
      await trx
        .insertInto('blendsheet_mix_tealine')
        .values({ blendsheet_no: SEED.blendsheet.blendsheet_no, ...mix })
        .onConflict((oc) => oc.columns(['blendsheet_no', 'mixture_code']).doNothing())
        .execute();
    }
  });
}
