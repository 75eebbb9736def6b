import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { sql } from 'kysely';
import { MTP_GROUPS } from '@tributary/contracts';
import { testCredentials } from '@tributary/platform/testing';
import { sendRaw, signRaw, type Signer } from './client.js';
import { draftArbitrary, type Target } from './generator.js';
import { operationsOf, type Operation } from './openapi.js';
import {
  diffSnapshots,
  keyring,
  login,
  NO_SCHEDULED_JOBS,
  PLATFORM_TEST_ENV,
  scope,
  snapshot,
  startPlatform,
  type FuzzPlatform,
  type Snapshot,
} from './platform.js';
import { groupFailures, pool, replay, type Failure, type Sent } from './report.js';
import { directTargets, gatewayTargets } from './targets.js';

/**
 * One fuzz run against a running platform: the plan drawn from every OpenAPI document, the
 * requests sent, and what they did (answers, rows, audit, breakers). The test files say which
 * half they send (through the gateway, or signed directly) and assert on the outcome.
 */
export const SEED = Number(process.env.FUZZ_SEED ?? 20_261_105);
const CONCURRENCY = 12;
/** Past the gateway's upstream timeout (30 s), so a hung upstream shows as the gateway's answer. */
const TIMEOUT_MS = 35_000;

const ENV = {
  ...PLATFORM_TEST_ENV,
  ...NO_SCHEDULED_JOBS,
  // Every fuzz request is one address; the anonymous limit would turn most into 429 before they test anything.
  IP_LIMIT_PER_MINUTE: '1000000',
  IP_LIMIT_PER_HOUR: '1000000',
  IP_LIMIT_PER_DAY: '1000000',
};

/** Users the fuzz acts as through the gateway (admin takes every other request: it passes every role check). */
const FUZZ_USERS = ['master-admin', 'seeduwa-admin', 'seeduwa-officer', 'grandpass-officer', 'grandpass-dev-machine', 'trader-officer'];
/** Never used by the fuzz: after it, this user must still be served. */
const BYSTANDER = 'grandpass-supervisor';

/**
 * Tables that log requests by design are left out of the row check: the audit log and usage
 * counters, and each service's idempotency store, which keeps the answer to every keyed write,
 * refusals included, so that a retry gets the same answer (orders' /central proxy keys its calls).
 */
const LOGS_REQUESTS: Record<string, (table: string) => boolean> = {
  gateway: (table) => /^[a-z_]+\.(api_audit_logs.*|rate_limit_tracking|idempotency_key)$/.test(table),
  orders: (table) => table.endsWith('.idempotency_key'),
  processing: (table) => table.endsWith('.idempotency_key'),
  erp: (table) => table.endsWith('.idempotency_key'),
  // Per-minute delivery statistics, written by the scheduler for every closed window whether or not anything happened.
  sync: (table) => table.endsWith('.sync_metrics') || table.endsWith('.idempotency_key'),
};

export async function json(url: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function snapshots(platform: FuzzPlatform): Promise<Record<string, Snapshot>> {
  const out: Record<string, Snapshot> = {};
  for (const [name, node] of platform.nodes) out[name] = await snapshot(node.database, LOGS_REQUESTS[name] ?? (() => false));
  return out;
}

/** Events captured at start (the seed's) still on their way: a delivery may wait out a backoff. */
async function syncBusy(platform: FuzzPlatform): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    select (select count(*) from sync_events where processing_status in ('pending', 'processing'))::int
         + (select count(*) from sync_status where sync_status in ('pending', 'in_progress'))::int as n`.execute(
    platform.node('sync').database.db,
  );
  return (rows[0]?.n ?? 0) > 0;
}

/** Background work (the sync collector and deliveries) settles after start; wait until it drained and two looks agree. */
async function settledSnapshots(platform: FuzzPlatform): Promise<Record<string, Snapshot>> {
  for (let attempt = 0; attempt < 120 && (await syncBusy(platform)); attempt++) await new Promise((resolve) => setTimeout(resolve, 250));
  let previous = await snapshots(platform);
  let quiet = 0;
  for (let attempt = 0; attempt < 60 && quiet < 3; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const current = await snapshots(platform);
    quiet = Object.keys(current).every((name) => diffSnapshots(previous[name]!, current[name]!).length === 0) ? quiet + 1 : 0;
    previous = current;
  }
  return previous;
}

async function metric(platform: FuzzPlatform, service: string, name: string): Promise<Array<{ labels: string; value: number }>> {
  const text = await (await fetch(`${platform.node(service).url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .map((line) => {
      const match = /^[a-z_]+(\{[^}]*\})?\s+(\S+)/.exec(line);
      return { labels: match?.[1] ?? '', value: Number(match?.[2]) };
    });
}

function signerFor(operation: Operation, index: number): { signer: Signer; as: string } {
  if (operation.path.startsWith('/internal/')) {
    const principal = index % 2 === 0 ? 'sync' : 'cli';
    return { signer: { credentials: testCredentials(principal, keyring), scope }, as: principal };
  }
  const roles: Record<string, string[]> = { erp: ['manager', 'analyst', 'integration'], sync: ['integration'] };
  const pick = roles[operation.service] ?? [...MTP_GROUPS];
  const role = pick[index % pick.length]!;
  return {
    signer: { credentials: testCredentials('gateway', keyring), scope, identity: { user: 'usr_fuzz', roles: [role] } },
    as: `gateway for ${role}`,
  };
}

export interface FuzzSession {
  platform: FuzzPlatform;
  tokens: Map<string, string>;
  stop(): Promise<void>;
}

/** The platform, a token per fuzz user, and their tier lifted to unlimited. */
export async function startSession(): Promise<FuzzSession> {
  const startedAt = Date.now();
  const platform = await startPlatform(ENV);
  console.log(`platform started in ${Date.now() - startedAt} ms`);
  const tokens = new Map<string, string>();
  try {
    const gateway = platform.node('gateway').url;
    tokens.set('admin', await login(platform, 'admin'));
    for (const user of FUZZ_USERS) {
      tokens.set(user, await login(platform, user));
      // The tier limits (100/min) would answer most of the fuzz with 429 before it reached anything.
      const patched = await json(`${gateway}/api/v1/admin/users/usr_${user.replace(/-/g, '_')}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get('admin')}` },
        body: JSON.stringify({ rateLimitTier: 'unlimited' }),
      });
      if (patched.status !== 200) throw new Error(`tier of ${user}: ${patched.status} ${JSON.stringify(patched.body)}`);
    }
  } catch (error) {
    await platform.stop();
    throw error;
  }
  return { platform, tokens, stop: () => platform.stop() };
}

export interface FuzzOutcome {
  sent: Sent[];
  /** 5xx, no answer, audit rows missing; grouped with one replayable example each. */
  groups: Array<{ key: string; count: number; example: string }>;
  /** Malformed writes answered 2xx. */
  accepted: string[];
  /** Per service, the tables whose rows changed. */
  changed: Record<string, string[]>;
  auditDropped: number;
  openCircuits: Array<{ labels: string; value: number }>;
  /** Status of GET /order for a user who took no part. */
  bystander: number;
}

export async function runFuzz({ platform, tokens }: FuzzSession, via: 'gateway' | 'direct', total: number): Promise<FuzzOutcome> {
  const operations: Operation[] = [];
  for (const [name, node] of platform.nodes) operations.push(...operationsOf(name, (await json(`${node.url}/openapi.json`)).body));
  const targets: Target[] = via === 'gateway' ? gatewayTargets(operations) : directTargets(operations);
  const perTarget = Math.ceil(total / targets.length);
  const seed = SEED + (via === 'gateway' ? 0 : 1_000_000);
  const plan = targets.flatMap((target, t) =>
    fc.sample(draftArbitrary(target), { seed: seed + t, numRuns: perTarget }).map((draft) => ({ target, draft })),
  );
  console.log(
    `fuzz ${via} seed ${SEED}: ${plan.length} requests, ${targets.length} targets (${perTarget} each), ${operations.length} operations`,
  );

  const before = await settledSnapshots(platform);
  const startedAt = Date.now();
  const sent: Sent[] = [];
  const users = ['admin', ...FUZZ_USERS];
  await pool(
    plan.map((item, index) => ({ ...item, index })),
    CONCURRENCY,
    async ({ target, draft, index }) => {
      const requestId = `fz-${SEED}-${via[0]}${index}`;
      const headers = { 'x-request-id': requestId, ...draft.headers };
      const body = draft.body === undefined ? undefined : Buffer.from(draft.body, 'utf8');
      const began = Date.now();
      const base = {
        index,
        requestId,
        operation: `${target.operation.service} ${target.operation.method} ${target.operation.path}`,
        draft,
      };
      if (via === 'gateway') {
        // Every other request as the administrator (reaches every upstream), the rest rotating through the MTP roles.
        const user = index % 2 === 0 ? 'admin' : users[1 + ((index >> 1) % FUZZ_USERS.length)]!;
        const url = platform.node('gateway').url;
        const response = await sendRaw(
          url,
          {
            method: draft.method,
            path: draft.path,
            headers: { authorization: `Bearer ${tokens.get(user)}`, ...headers },
            ...(body ? { body } : {}),
          },
          TIMEOUT_MS,
        );
        sent.push({ ...base, via, target: url, as: user, response, ms: Date.now() - began });
      } else {
        const url = platform.node(target.operation.service).url;
        const { signer, as } = signerFor(target.operation, index);
        const signed = await signRaw(url, { method: draft.method, path: draft.path, headers, ...(body ? { body } : {}) }, signer);
        const response = await sendRaw(url, signed.request, TIMEOUT_MS);
        sent.push({ ...base, via, target: url, as, signed: signed.signed, response, ms: Date.now() - began });
      }
    },
  );
  const sendMs = Date.now() - startedAt;

  // The audit writer flushes on a timer: wait until its buffer is empty, then read what it wrote.
  for (let attempt = 0; attempt < 100; attempt++) {
    const buffered = await metric(platform, 'gateway', 'gateway_audit_buffered');
    if (buffered.every((sample) => sample.value === 0)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  const audited = new Set(
    (
      await sql<{ request_id: string }>`select request_id from api_audit_logs where request_id like ${`fz-${SEED}-%`}`.execute(
        platform.node('gateway').database.db,
      )
    ).rows.map((row) => row.request_id),
  );
  const after = await snapshots(platform);

  const failures: Failure[] = [];
  for (const request of sent) {
    if (request.response.status >= 500) failures.push({ kind: '5xx', sent: request });
    else if (request.response.status === 0) failures.push({ kind: 'no answer', sent: request });
    // A request the HTTP parser refused never reached the gateway (no request id came back): nothing to audit.
    if (request.via === 'gateway' && request.response.requestId === request.requestId && !audited.has(request.requestId))
      failures.push({ kind: 'audit row missing', sent: request });
  }
  const changed: Record<string, string[]> = {};
  for (const name of platform.nodes.keys()) {
    const diff = diffSnapshots(before[name]!, after[name]!);
    if (diff.length > 0) changed[name] = diff;
  }
  const outcome: FuzzOutcome = {
    sent,
    groups: groupFailures(failures),
    // Every write the fuzzer sends is malformed, so each 2xx is a refusal that did not happen.
    accepted: sent
      .filter((request) => request.draft.method !== 'GET' && request.response.status >= 200 && request.response.status < 300)
      .map(replay),
    changed,
    auditDropped: (await metric(platform, 'gateway', 'gateway_audit_dropped_total')).reduce((sum, sample) => sum + sample.value, 0),
    openCircuits: (await metric(platform, 'gateway', 'gateway_circuit_state')).filter((sample) => sample.value !== 0),
    bystander: (
      await json(`${platform.node('gateway').url}/order`, { headers: { authorization: `Bearer ${await login(platform, BYSTANDER)}` } })
    ).status,
  };
  await report(via, outcome, failures, sendMs, total);
  return outcome;
}

/** Prints the outcome (seed, answers, grouped failures, accepted writes, changed rows) and writes it all to a file. */
async function report(via: string, outcome: FuzzOutcome, failures: Failure[], sendMs: number, total: number): Promise<void> {
  const statusCounts: Record<string, number> = {};
  for (const request of outcome.sent) statusCounts[request.response.status] = (statusCounts[request.response.status] ?? 0) + 1;
  const file = join(tmpdir(), `tributary-fuzz-${via}-${SEED}.json`);
  const { sent: _sent, ...summary } = outcome;
  await writeFile(
    file,
    JSON.stringify(
      { seed: SEED, via, sendMs, statusCounts, ...summary, failures: failures.map((f) => ({ kind: f.kind, replay: replay(f.sent) })) },
      null,
      2,
    ),
  );
  const variable = via === 'gateway' ? 'FUZZ_GATEWAY_REQUESTS' : 'FUZZ_DIRECT_REQUESTS';
  console.log(
    [
      `fuzz ${via} seed ${SEED}: ${outcome.sent.length} sent in ${sendMs} ms; answers ${JSON.stringify(statusCounts)}; ${failures.length} failures in ${outcome.groups.length} groups; report ${file}`,
      ...outcome.groups.slice(0, 80).map((group) => `  ${group.count} × ${group.key}\n      e.g. ${group.example}`),
      ...slowest(outcome.sent).map((line) => `  slowest: ${line}`),
      ...outcome.accepted.map((line) => `  malformed write accepted: ${line}`),
      ...Object.entries(outcome.changed).map(([name, diff]) => `  rows changed in ${name}: ${diff.join('; ')}`),
      `  audit rows dropped: ${outcome.auditDropped}; circuits not closed: ${JSON.stringify(outcome.openCircuits)}; bystander GET /order: ${outcome.bystander}`,
      `  replay: FUZZ_SEED=${SEED} ${variable}=${total} npx vitest run tests/security/fuzz.${via}.test.ts`,
    ].join('\n'),
  );
}

/** Where the time went, by mutation class: a slow class points at a cost worth knowing about. */
function slowest(sent: Sent[]): string[] {
  const totals = new Map<string, { ms: number; count: number }>();
  for (const request of sent) {
    const key = request.draft.mutation.split(';')[0]!.replace(/^(body|query|path) \S+/, '$1 <field>');
    const total = totals.get(key) ?? { ms: 0, count: 0 };
    total.ms += request.ms;
    total.count++;
    totals.set(key, total);
  }
  return [...totals.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 5)
    .map(([key, total]) => `${key}: ${total.count} requests, ${total.ms} ms in flight (${Math.round(total.ms / total.count)} ms each)`);
}
