import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '@tributary/platform/core';
import { asDynamic, sql, type AnyDatabase } from '@tributary/platform/db';
import { migrateToLatest } from '@tributary/platform/migrate';
import type { TestDatabase } from '@tributary/platform/testing';
import { runImport } from '../../apps/cli/src/commands/import/common/command.js';
import { mtpImporter } from '../../apps/cli/src/commands/import/mtp/mtp.js';
import { AWS_MANAGER_DDL, CENTRAL_HANDLER_DDL } from '../../apps/cli/src/commands/import/mtp/mtp-originals.support.js';
import { service as ordersService } from '../../services/orders/src/service.js';
import { service as processingService } from '../../services/processing/src/service.js';
import { benchTestDatabases } from '../src/postgres.js';
import type { RoundMetrics, Scenario } from '../src/types.js';

/** BENCH_IMPORT_BAGS makes a quicker rehearsal; the recorded figures use the default. */
const BAGS = Number(process.env.BENCH_IMPORT_BAGS ?? 1_000_000);
const BAGS_PER_LOT = 100;
const BAGS_PER_SHIPMENT = 10;
const CHUNK = Number(process.env.BENCH_IMPORT_CHUNK ?? 1000);

const run = (db: AnyDatabase, text: string) => sql.raw(text).execute(asDynamic(db.db));

/**
 * The originals with generate_series: lots of 100 bags, every bag (10 kg net) wholly allocated to
 * one shipment of 100 kg, 10 bags per shipment, two shipments per request, all dispatched with
 * their three events. Clean data, so the measure is the import's own work.
 */
async function loadOriginals(aws: AnyDatabase, central: AnyDatabase): Promise<void> {
  const shipments = BAGS / BAGS_PER_SHIPMENT;
  for (const statement of AWS_MANAGER_DDL) await run(aws, statement);
  // The original's requirement is an integer: at a million bags the plan's true total would overflow it.
  const requirement = Math.min(shipments * 100_000, 2_000_000_000);
  await run(aws, `insert into public.order_plan values ('BENCH', 'Blend', ${requirement}, '2026-01-01', '2026-12-31', 'BLT00001')`);
  await run(aws, `insert into public.order_request select g, 'BENCH', 'Blend', 200000, null from generate_series(1, ${shipments / 2}) g`);
  await run(
    aws,
    `insert into public.order_shipment select (n - 1) / 2 + 1, (n - 1) % 2 + 1, 100000 from generate_series(1, ${shipments}) n`,
  );
  await run(
    aws,
    `insert into public.order_shipment_event (request_code, shipment_code, status, event_ts, shipment_vehicle)
     select s.request_code, s.shipment_code, e.status, 1717200000000 + e.ord * 1000, case when e.status = 'SHIPMENT_DISPATCHED' then 'WP-1' end
     from public.order_shipment s cross join (values (1, 'ORDER_REQUESTED'), (2, 'ORDER_READY'), (3, 'SHIPMENT_DISPATCHED')) e(ord, status)`,
  );
  for (const statement of CENTRAL_HANDLER_DDL) await run(central, statement);
  await run(central, `insert into store_location values ('Rack A', false)`);
  await run(central, `insert into item select 'T' || lpad(g::text, 7, '0'), 1000 from generate_series(1, ${BAGS / BAGS_PER_LOT}) g`);
  await run(
    central,
    `insert into tealine (item_code, created_ts, no_of_bags, weight_per_bag) select item_code, created_ts, ${BAGS_PER_LOT}, 10.00 from item`,
  );
  await run(
    central,
    `insert into tealine_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
     select gen_random_uuid(), 'T' || lpad(((b - 1) / ${BAGS_PER_LOT} + 1)::text, 7, '0'), 1000, 1717100000000 + b, 'Rack A', 1.00, 11.00, 'DISPATCHED', 0
     from generate_series(1, ${BAGS}) b`,
  );
  await run(
    central,
    `insert into tealine_allocate_shipment (barcode, request_code, shipment_code, amount, remaining)
     select barcode, (s - 1) / 2 + 1, (s - 1) % 2 + 1, 10.00, 10.00
     from (select barcode, (row_number() over (order by received_ts) - 1) / ${BAGS_PER_SHIPMENT} + 1 as s from tealine_record) r`,
  );
  await run(aws, 'analyze');
  await run(central, 'analyze');
}

/** `psql -c '\copy (…) to stdout'` piped into `psql -c '\copy … from stdin'`: the plain bulk path. */
function copyBetween(fromUrl: string, query: string, toUrl: string, table: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = spawn('psql', [fromUrl, '-X', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy (${query}) to stdout`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const into = spawn('psql', [toUrl, '-X', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy ${table} from stdin`], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    out.stdout.pipe(into.stdin);
    let pending = 2;
    const done = (name: string) => (code: number | null) => {
      if (code !== 0) reject(new Error(`${name} exited with ${code}`));
      else if (--pending === 0) resolve();
    };
    out.on('exit', done('psql \\copy to'));
    into.on('exit', done('psql \\copy from'));
  });
}

const scenario: Scenario = {
  name: 'import',
  description: `tributary import mtp --apply of ${BAGS.toLocaleString('en')} bag records with their shipment allocations (PostgreSQL to PostgreSQL) vs a plain COPY of the same rows`,
  async run(ctx) {
    const target = benchTestDatabases();
    const [aws, central] = [await target.create(), await target.create()];
    const dataDir = await mkdtemp(join(tmpdir(), 'tributary-bench-import-'));
    const rounds = { copy: [] as RoundMetrics[], import: [] as RoundMetrics[] };
    const rows = BAGS * 2;
    let last: { tables: number; findings: number; reconciled: boolean } | undefined;
    // Where the subject's time goes: wall time from one committed chunk to the next, by source table.
    let spent: Record<string, number> = {};
    try {
      ctx.log(`loading ${BAGS} bags and ${BAGS} allocations into the originals (generate_series)`);
      const loadStarted = performance.now();
      await loadOriginals(aws.database, central.database);
      ctx.log(`loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);
      for (let round = 0; round < ctx.rounds; round++) {
        const targets: TestDatabase[] = [await target.create(), await target.create()];
        const [orders, processing] = targets as [TestDatabase, TestDatabase];
        try {
          await migrateToLatest(orders.database, ordersService.migrations);
          await migrateToLatest(processing.database, processingService.migrations);
          await run(processing.database, 'create table scratch_record (like tealine_record including defaults)');
          await run(
            processing.database,
            'create table scratch_allocation (barcode uuid, request_code bigint, shipment_code integer, amount numeric(5,2), remaining numeric(5,2))',
          );
          const variants = [
            {
              name: 'copy',
              op: async () => {
                await copyBetween(
                  central.url,
                  'select barcode, item_code, created_ts, 1 as bag_no, received_ts, store_location, bag_weight, gross_weight, status, remaining from tealine_record',
                  processing.url,
                  'scratch_record (barcode, item_code, created_ts, bag_no, received_ts, store_location, bag_weight, gross_weight, status, remaining)',
                );
                await copyBetween(
                  central.url,
                  'select barcode, request_code, shipment_code, amount, remaining from tealine_allocate_shipment',
                  processing.url,
                  'scratch_allocation',
                );
              },
            },
            {
              name: 'import',
              op: async () => {
                spent = {};
                let mark = performance.now();
                const report = await runImport(mtpImporter({ ordersUrl: aws.url, processingUrl: central.url }), {
                  dataDir,
                  env: { ORDERS_DATABASE_URL: orders.url, PROCESSING_DATABASE_URL: processing.url },
                  logger: silentLogger(),
                  apply: true,
                  chunkSize: CHUNK,
                  progress: false,
                  onChunk: (chunk) => {
                    const now = performance.now();
                    spent[chunk.sourceTable] = (spent[chunk.sourceTable] ?? 0) + now - mark;
                    mark = now;
                    if (chunk.chunks % 100 === 0) ctx.log(`  ${chunk.sourceTable} at ${chunk.lastKey}`);
                  },
                });
                spent['(after the last chunk: reconciliation, run summary)'] = performance.now() - mark;
                last = { tables: report.tables.length, findings: report.findings.length, reconciled: report.checks.every((c) => c.ok) };
                if (!last.reconciled) throw new Error('the imported data did not reconcile');
              },
            },
          ] as const;
          for (let step = 0; step < variants.length; step++) {
            const v = variants[(round + step) % variants.length]!;
            const t0 = performance.now();
            await v.op();
            const ms = performance.now() - t0;
            ctx.log(`round ${round + 1}/${ctx.rounds} ${v.name}: ${(ms / 1000).toFixed(1)} s, ${Math.round((rows * 1000) / ms)} rows/s`);
            rounds[v.name].push({ rps: (rows * 1000) / ms, p50: ms, p99: ms, requests: 1 });
          }
        } finally {
          for (const handle of targets) await handle.destroy();
        }
      }
      return {
        variants: [
          {
            name: 'plain COPY of the bag and allocation rows into scratch tables (psql \\copy, same server)',
            role: 'baseline',
            rounds: rounds.copy,
          },
          {
            name: `tributary import mtp --apply (chunks of ${CHUNK}, every rule and trigger, reconciled after)`,
            role: 'subject',
            rounds: rounds.import,
          },
        ],
        parameters: {
          database: 'PostgreSQL: two originals loaded once; two fresh targets (orders, processing) per round, migrated, dropped after',
          bags: BAGS,
          allocations: BAGS,
          lots: BAGS / BAGS_PER_LOT,
          shipments: BAGS / BAGS_PER_SHIPMENT,
          reading: 'req/s = bag + allocation rows per second; p50/p99 = the duration of the whole run in ms',
          importAlsoDoes:
            "orders rows (requests, shipments, 3 events each), lots and items, the bags' status pass and the MTP reconciliation",
          lastImport: last,
          importSecondsByTable: Object.fromEntries(Object.entries(spent).map(([table, ms]) => [table, Number((ms / 1000).toFixed(1))])),
        },
      };
    } finally {
      await rm(dataDir, { recursive: true, force: true });
      await Promise.allSettled([aws.destroy(), central.destroy()]);
    }
  },
};

export default scenario;
