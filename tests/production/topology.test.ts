import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, testRedisUrl } from '@tributary/platform/testing';
import { planRow, shipmentFlow } from '../../apps/cli/src/commands/reconcile-mtp.support.js';
import { runBuilt } from '../../apps/cli/test/support/built.js';
import { accepted, GatewayClient } from './support/gateway.js';
import { copiedRequests, deliveryReport, effectCounts, settled } from './support/ledger.js';
import { acceptedSomewhere, startLoad, type Write } from './support/load.js';
import { abandonSlots, slotReport, startTopology, type Topology } from './support/topology.js';

/*
 * The deployment of deploy/compose.yaml on this host, from the build: orders, processing and
 * sync on PostgreSQL, erp on MariaDB, two gateway replicas and two sync workers sharing Redis
 * and their databases. Users work through both gateways; processes are killed (-9) and rolled
 * (SIGTERM) under load; the databases then show every write and every event exactly once.
 */
const postgres = testDatabases({ dialects: ['postgres'] })[0];
const mariadb = testDatabases({ dialects: ['mysql'] })[0];
const redisUrl = testRedisUrl();
const servers = postgres && mariadb && redisUrl ? { postgres, mariadb, redisUrl } : undefined;

async function reconcileMtp(topology: Topology): Promise<{ code: number | null; report: { summary: { differences: number } } }> {
  const result = await runBuilt(['reconcile', 'mtp', '--json'], topology.cliEnv);
  return { code: result.code, report: JSON.parse(result.stdout) as { summary: { differences: number } } };
}

/** A log line at error or fatal level, or anything else printed that speaks of an error (a stack trace). */
function isErrorLine(line: string): boolean {
  try {
    return Number((JSON.parse(line) as { level?: unknown }).level) >= 50;
  } catch {
    return /error/i.test(line);
  }
}

/** Every write of a load landed once: a 2xx in the end, and exactly one row of its effect. */
async function expectExactlyOnce(topology: Topology, writes: readonly Write[]): Promise<void> {
  expect(writes.filter((write) => write.final.status < 200 || write.final.status > 299).map((write) => write.attempts)).toEqual([]);
  const counts = await effectCounts(topology, writes);
  expect([...counts].filter(([, n]) => n !== 1)).toEqual([]);
  // The answer a retry got is the write that landed: its request code is the one row's.
  const orders = writes.filter((write) => write.kind === 'order');
  const codes = orders.map((write) => String((write.final.body as Array<{ request_code: unknown }>)[0]?.request_code));
  const stored = await topology.databases.orders.database.db
    .selectFrom('order_request')
    .select(['request_code', 'comments'])
    .where(
      'comments',
      'in',
      orders.map((write) => write.label),
    )
    .execute();
  expect(new Map(stored.map((row) => [String(row.comments), String(row.request_code)]))).toEqual(
    new Map(orders.map((write, index) => [write.label, codes[index]!])),
  );
  // Sync carried each new request to processing's copy once (one shipment each).
  await settled(topology);
  expect([...(await copiedRequests(topology, codes))].filter(([, n]) => n !== 1)).toEqual([]);
}

describe.skipIf(!servers)('production topology: every service its own process, two gateways, two sync workers', () => {
  let topology: Topology;
  let client: GatewayClient;

  beforeAll(async () => {
    topology = await startTopology(servers!);
    client = new GatewayClient(topology.gateways);
    await client.createUsers();
  }, 300_000);
  // abandonSlots: a start that timed out left processes the test never got a topology for.
  afterAll(async () => {
    await topology?.close();
    await abandonSlots();
  }, 60_000);

  it('runs the MTP flow through both replicas as its users, and `reconcile mtp` finds no difference', async () => {
    const shipped = await shipmentFlow(client.mtp(), 'TOPO', () => settled(topology));
    const shipment = await topology.databases.orders.database.db
      .selectFrom('order_shipment')
      .select(['status'])
      .where('request_code', '=', String(shipped.requestCode))
      .execute();
    expect(shipment.map((row) => row.status)).toEqual(['SHIPMENT_ACCEPTED']);
    const { code, report } = await reconcileMtp(topology);
    expect(report.summary.differences).toBe(0);
    expect(code).toBe(0);
  }, 120_000);

  it('prices and picks erp stock through both replicas', async () => {
    const erp = (method: 'GET' | 'POST', path: string, body?: unknown) => client.as('manager', method, `/api/v1/erp${path}`, body);
    accepted(await erp('POST', '/warehouses', { name: 'WH-TOPO', warehouse_name: 'WH-TOPO' }), 'warehouse');
    accepted(await erp('POST', '/items', { item_code: 'TOPO-1', item_group: 'Snacks', standard_rate: '100' }), 'item');
    accepted(
      await erp('POST', '/segments', { segment_code: 'TOPO-SEG', segment_name: 'Topology', segment_type: 'demographic' }),
      'segment',
    );
    const received = accepted<{ status: string }>(
      await erp('POST', '/batches', {
        batch_id: 'TOPO-B1',
        item: 'TOPO-1',
        warehouse: 'WH-TOPO',
        qty: '10',
        manufacturing_date: '2026-01-01',
        expiry_date: '2099-01-01',
      }),
      'receive',
    );
    expect(received.status).toBe('Active');
    const rule = { rule_code: 'TOPO-10', rule_name: 'Topology', rule_type: 'Promotional', valid_from: '2026-01-01' };
    accepted(
      await erp('POST', '/pricing/rules', {
        ...rule,
        apply_on: 'Item Code',
        applicable_for: 'All Customers',
        items: ['TOPO-1'],
        discount_percentage: '10',
      }),
      'rule',
    );
    const quote = accepted<{ pricing: Array<{ final_rate: string }> }>(
      await erp('POST', '/pricing/calculate', { items: [{ item_code: 'TOPO-1', qty: '2' }], dry_run: true }),
      'price',
    );
    expect(quote.pricing[0]?.final_rate).toBe('90');
    const pick = accepted<{ fully_allocated: boolean; lines: Array<{ allocations: Array<{ batch: string; qty: string }> }> }>(
      await erp('POST', '/stock/pick', { lines: [{ item: 'TOPO-1', warehouse: 'WH-TOPO', qty: '4' }] }),
      'pick',
    );
    expect(pick.lines[0]?.allocations.map((a) => [a.batch, a.qty])).toEqual([['TOPO-B1', '4']]);
    expect(pick.fully_allocated).toBe(true);
    expect(accepted<{ available_qty: string }>(await erp('GET', '/batches/TOPO-B1'), 'batch').available_qty).toBe('10');
  });

  it('loses and doubles nothing when a gateway replica, a sync worker and processing are killed -9 under load', async () => {
    accepted(await client.as('GRANDPASS-ADMIN', 'POST', '/order/plan', [planRow('ORD-KILL')]), 'plan');
    const load = startLoad(client, 'kill', 'ORD-KILL');
    await load.after(6);
    for (const name of ['gateway-b', 'sync-b', 'processing']) {
      await topology.stop(name, 'SIGKILL');
      // Writes meet the dead process for a moment (the load cannot move on while processing is
      // down, so this waits on time, not on writes), then it comes back as an orchestrator restarts it.
      await sleep(2_000);
      await topology.start(name);
      await load.after(4);
    }
    const writes = await load.stop();
    const killed = topology.processes.filter((p) => p.exits.some((exit) => exit.signal === 'SIGKILL'));
    const notKilled = ['gateway-b', 'sync-b', 'processing'].filter((name) => !killed.some((p) => p.name === name));
    expect(
      killed.map((p) => p.name),
      notKilled.map((name) => slotReport(topology.process(name))).join('\n\n'),
    ).toEqual(['processing', 'sync-b', 'gateway-b']);
    // A retry after a connection error went to the other replica and was answered 2xx there.
    const afterDrop = writes.flatMap((write) =>
      write.attempts.flatMap((attempt, index) => (attempt.status === undefined ? [write.attempts[index + 1]] : [])),
    );
    expect(afterDrop.filter((next) => next?.status === undefined || next.status < 200 || next.status > 299)).toEqual([]);
    await expectExactlyOnce(topology, writes);
    const report = await deliveryReport(topology);
    expect(report).toMatchObject({ lost: [], capturedTwice: [], deliveredTwice: [], inboxMismatch: [] });
    expect(report.deliveries).toBeGreaterThan(0);
    expect((await reconcileMtp(topology)).report.summary.differences).toBe(0);
  }, 240_000);

  it('rolls a SIGTERM restart through every process without resetting an accepted request or logging an error', async () => {
    accepted(await client.as('GRANDPASS-ADMIN', 'POST', '/order/plan', [planRow('ORD-ROLL')]), 'plan');
    const linesBefore = new Map(topology.processes.map((p) => [p.name, p.lines.length]));
    const load = startLoad(client, 'roll', 'ORD-ROLL');
    await load.after(4);
    for (const process of topology.processes) {
      await topology.stop(process.name, 'SIGTERM');
      expect(process.exits.at(-1), slotReport(process)).toEqual({ code: 0, signal: null });
      await topology.start(process.name);
      await load.after(2);
    }
    const writes = await load.stop();
    const outputs = topology.processes.map((p) => p.lines);
    const dropped = writes.flatMap((write) =>
      write.attempts.filter((attempt) => attempt.status === undefined && attempt.code !== 'ECONNREFUSED'),
    );
    // A reset is tolerable only for a request no process ever saw (closed before it was read).
    expect(dropped.filter((attempt) => acceptedSomewhere(attempt.requestId, outputs))).toEqual([]);
    await expectExactlyOnce(topology, writes);
    // orders, processing and erp run one process each, so their restart is a short outage the
    // gateway answers with 503 (retried by the load to a 2xx, checked above) and logs at warn.
    // No process, stopping, starting or serving, may print an error line meanwhile.
    const errors = topology.processes.flatMap((p) => p.lines.slice(linesBefore.get(p.name)).filter(isErrorLine));
    expect(errors).toEqual([]);
    expect((await deliveryReport(topology)).deliveredTwice).toEqual([]);
  }, 240_000);
});
