import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { createClient } from 'redis';
import { signRequest } from '@tributary/platform/auth';
import { freePort } from '@tributary/platform/testing';
import { REDACTED_PATHS, systemClock } from '@tributary/platform/core';
import { asSchema, createDatabase, sql, type Database } from '@tributary/platform/db';
import { createBenchDatabase, dropBenchDatabase } from '../src/postgres.js';
import { createHttpApp } from '@tributary/platform/http';
import { migrateToLatest } from '@tributary/platform/migrate';
import { credentialsFor, keyringLookup, type Keyring } from '@tributary/platform/service';
import { buildGateway } from '@tributary/gateway/app';
import type { GatewayDatabase } from '../../services/gateway/src/db/schema.js';
import { measureTargets, type LoadTarget } from '../src/autocannon.js';
import type { Scenario } from '../src/types.js';

/*
 * GET /order through the gateway as a logged-in MTP user: JWT verification, the revocation
 * check, three rate-limit windows, RBAC, SigV4 signing to the upstream and one audit record
 * per request (batched into PostgreSQL), in three set-ups of where the revocation version and
 * the limits live (see ADR 0401). Compared in the same run with the same upstream
 * called directly (the baseline) and with nginx as a plain reverse proxy.
 *
 * The upstream is a Tributary-style service (the kernel HTTP app verifying SigV4) in a worker
 * thread of its own; clients of the direct and nginx variants sign once per round, as a
 * keep-alive client may. nginx runs one worker process, as the gateway runs one event loop.
 */

const SCOPE = { region: 'us-east-1', service: 'execute-api' };
const KEYRING: Keyring = {
  keys: {
    TRBBENCHGATEWAY0002: { secretAccessKey: 'bench-gateway-secret-not-a-real-one', principal: 'gateway' },
    TRBBENCHCLIENT00002: { secretAccessKey: 'bench-client-secret-not-a-real-one', principal: 'client' },
  },
};
const BODY = [
  {
    request_code: '1001',
    order_code: 'ORD-7',
    product_name: 'Ceylon BOP',
    requirement: '1200.000',
    shipments: [{ shipment_code: 1, quantity: '400.000', events: [] }],
  },
];
const UPSTREAM_KIND = 'gateway-bench-upstream';

function discardingLogger() {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return pino({ level: 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
}

// ---- upstream worker -------------------------------------------------------------------------
if (!isMainThread && (workerData as { kind?: string } | undefined)?.kind === UPSTREAM_KIND) {
  const app = await createHttpApp({ name: 'orders', logger: discardingLogger(), auth: { ...SCOPE, lookup: keyringLookup(KEYRING) } });
  app.get('/order', async () => BODY);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  parentPort!.postMessage({ url });
  parentPort!.once('message', () => void app.close().then(() => process.exit(0)));
}

function startUpstreamWorker(): Promise<{ url: string; stop(): Promise<void> }> {
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ tsImport }) => tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { kind: UPSTREAM_KIND } });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', ({ url }: { url: string }) =>
      resolve({
        url,
        stop: async () => {
          worker.postMessage('stop');
          await new Promise((done) => worker.once('exit', done));
        },
      }),
    );
  });
}

// ---- nginx -----------------------------------------------------------------------------------
function ensureNginx(log: (message: string) => void): string {
  const find = () => {
    for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']) {
      try {
        execFileSync(candidate, ['-v'], { stdio: 'ignore' });
        return candidate;
      } catch {
        // try the next
      }
    }
    return undefined;
  };
  const found = find();
  if (found) return found;
  log('nginx not found: installing it from Debian (apt-get install -y nginx)');
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx'], {
    stdio: 'ignore',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const installed = find();
  if (!installed) throw new Error('nginx could not be installed');
  return installed;
}

async function startNginx(binary: string, upstreamUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-nginx-'));
  const port = await freePort();
  const upstream = new URL(upstreamUrl);
  const config = `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  # nginx closes a client connection after 1000 requests by default; the load generator would count that as an error.
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream service { server ${upstream.host}; keepalive 64; keepalive_requests 10000000; keepalive_timeout 60s; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://service;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
    }
  }
}
`;
  await writeFile(join(dir, 'nginx.conf'), config);
  const child: ChildProcess = spawn(binary, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`${url}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGQUIT');
      await new Promise((resolve) => child.once('exit', resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// ---- gateway ---------------------------------------------------------------------------------
async function redisUrl(): Promise<string | undefined> {
  const url = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 1000 } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return url;
  } catch {
    return undefined;
  } finally {
    await client.quit().catch(() => undefined);
  }
}

async function createGatewayDatabase(): Promise<{ database: Database; drop(): Promise<void> }> {
  const name = `bench_gateway_${Date.now().toString(36)}`;
  const database = await createDatabase(await createBenchDatabase(name), { poolSize: 10 });
  return {
    database,
    drop: async () => {
      await database.close();
      await dropBenchDatabase(name);
    },
  };
}

async function startGateway(upstreamUrl: string, state: 'local' | 'postgres' | { redis: string }) {
  const redis = typeof state === 'object' ? state.redis : undefined;
  const { database, drop } = await createGatewayDatabase();
  const { migrations } = await import('@tributary/gateway/migrations');
  await migrateToLatest(database, migrations);
  const context = {
    name: 'gateway',
    database: asSchema<GatewayDatabase>(database),
    logger: discardingLogger(),
    clock: systemClock,
    keyring: KEYRING,
    credentials: credentialsFor(KEYRING, 'gateway'),
    scope: SCOPE,
    peers: { orders: upstreamUrl },
    env: {
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      REVOCATION_STORE: redis ? 'redis' : (state as string),
      ...(redis ? { REDIS_URL: redis } : {}),
    },
  };
  const { seed } = await import('@tributary/gateway/seed');
  await seed(context);
  // Limits stay on (all three windows are counted on every request) but far above what the box can send.
  await sql`update service_routes set rate_limit_override = ${JSON.stringify({ minute: 1e9, hour: 1e9, day: 1e9 })}::jsonb where path_pattern = '/order' and http_method = 'GET'`.execute(
    database.db,
  );
  const gateway = await buildGateway(context);
  const url = await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  const login = await gateway.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'grandpass-officer', password: 'tributary-demo' },
  });
  if (login.statusCode !== 200) throw new Error(`bench login failed: ${login.body}`);
  return {
    url,
    token: login.json().accessToken as string,
    audit: gateway.deps.audit,
    stop: async () => {
      await gateway.app.close();
      await drop();
    },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const scenario: Scenario = {
  name: 'gateway',
  description:
    'GET /order through the gateway (JWT + revocation check + rate limits + audit + SigV4 to upstream) vs the upstream directly vs nginx',
  async run(ctx) {
    const nginxBinary = ensureNginx(ctx.log);
    const upstream = await startUpstreamWorker();
    const stops: Array<() => Promise<void>> = [upstream.stop];
    try {
      const nginx = await startNginx(nginxBinary, upstream.url);
      stops.push(nginx.stop);
      const plain = await startGateway(upstream.url, 'local');
      stops.push(plain.stop);
      const pgState = await startGateway(upstream.url, 'postgres');
      stops.push(pgState.stop);
      const redis = await redisUrl();
      const shared = redis ? await startGateway(upstream.url, { redis }) : undefined;
      if (shared) stops.push(shared.stop);
      const clientSigned = (base: string) => () =>
        signRequest({ method: 'GET', url: `${base}/order`, headers: {} }, credentialsFor(KEYRING, 'client'), SCOPE);
      const targets: LoadTarget[] = [
        { name: 'upstream direct', role: 'baseline', url: `${upstream.url}/order`, headers: clientSigned(upstream.url) },
        { name: 'nginx proxy', role: 'subject', url: `${nginx.url}/order`, headers: clientSigned(nginx.url) },
        { name: 'gateway', role: 'subject', url: `${plain.url}/order`, headers: () => ({ authorization: `Bearer ${plain.token}` }) },
        {
          name: 'gateway, PG revocation',
          role: 'subject',
          url: `${pgState.url}/order`,
          headers: () => ({ authorization: `Bearer ${pgState.token}` }),
        },
      ];
      if (shared)
        targets.push({
          name: 'gateway + Redis',
          role: 'subject',
          url: `${shared.url}/order`,
          headers: () => ({ authorization: `Bearer ${shared.token}` }),
        });
      for (const target of targets) ctx.log(`${target.name}: ${target.url}`);
      const variants = await measureTargets(targets, ctx);
      const rps = (name: string) => median(variants.find((v) => v.name === name)?.rounds.map((r) => r.rps) ?? []);
      const p99 = (name: string) => median(variants.find((v) => v.name === name)?.rounds.map((r) => r.p99) ?? []);
      await plain.audit.flush();
      const versusNginx = (name: string) => ({
        reqPerSec: Number((rps(name) / rps('nginx proxy')).toFixed(2)),
        p99: Number((p99(name) / p99('nginx proxy')).toFixed(2)),
      });
      const gatewayVsNginx = Object.fromEntries(
        targets.filter((t) => t.name.startsWith('gateway')).map((t) => [t.name, versusNginx(t.name)]),
      );
      for (const [name, ratio] of Object.entries(gatewayVsNginx)) ctx.log(`${name} vs nginx: req/s ${ratio.reqPerSec}x, p99 ${ratio.p99}x`);
      return {
        variants,
        parameters: {
          route: 'GET /order (MTP matrix route, role GRANDPASS-OFFICER)',
          responseBytes: Buffer.byteLength(JSON.stringify(BODY)),
          gateway:
            'JWT ES256 verify, revocation version check, 3 fixed windows (minute/hour/day), RBAC, SigV4 signing, undici pool, audit batched into PostgreSQL, info logging into a discarding stream',
          gatewayState:
            'gateway: one replica (limits in memory, revocation version in process); gateway, PG revocation: limits in memory, revocation version read from PostgreSQL per request (replica-safe without Redis); gateway + Redis: limits and revocation version in Redis (replica-safe)',
          redis: redis ?? 'not reachable: Redis variant skipped',
          upstream: 'kernel HTTP app verifying SigV4, in its own worker thread',
          nginx: 'one worker process, keep-alive upstream pool of 64, access log off',
          clients: 'direct and nginx: one SigV4 signature per round; gateway: one bearer token',
          gatewayVsNginx,
          auditRowsWritten: plain.audit.written,
          auditRowsDropped: plain.audit.dropped,
        },
      };
    } finally {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    }
  },
};

export default scenario;
