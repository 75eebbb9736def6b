import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestDatabase, TestDatabaseTarget } from '@tributary/platform/testing';
import { buildOnce, runBuilt } from '../../../apps/cli/test/support/built.js';
import { slotPorts, startSlot, stopSlot, type ServiceProcess } from './slots.js';

export { abandonSlots, slotReport, type ServiceProcess } from './slots.js';

export type ServiceName = 'orders' | 'processing' | 'erp' | 'gateway' | 'sync';
const SERVICES: readonly ServiceName[] = ['orders', 'processing', 'erp', 'gateway', 'sync'];

/** The processes of deploy/compose.yaml: one of each backend, two gateway replicas, two sync workers. */
const PROCESSES: ReadonlyArray<{ name: string; service: ServiceName }> = [
  { name: 'orders', service: 'orders' },
  { name: 'processing', service: 'processing' },
  { name: 'erp', service: 'erp' },
  { name: 'sync-a', service: 'sync' },
  { name: 'sync-b', service: 'sync' },
  { name: 'gateway-a', service: 'gateway' },
  { name: 'gateway-b', service: 'gateway' },
];

/**
 * The steps processes start in, each step's side by side, as compose's health checks order
 * them. The two gateways start together, as compose starts them: on a new database both seed
 * the same users and routes at once, and neither may fail for it.
 */
const START_ORDER: ReadonlyArray<readonly string[]> = [['orders', 'processing', 'erp'], ['sync-a'], ['sync-b'], ['gateway-a', 'gateway-b']];

export const ADMIN = { username: 'operator', password: `Topology-${randomBytes(6).toString('hex')}-1` };

export interface Topology {
  readonly processes: ServiceProcess[];
  readonly gateways: [ServiceProcess, ServiceProcess];
  readonly databases: Record<ServiceName, TestDatabase>;
  /** What a CLI command run by an operator next to the services sees (keyring, peer URLs). */
  readonly cliEnv: Record<string, string>;
  process(name: string): ServiceProcess;
  /** Sends `signal` and waits for the process to be gone. */
  stop(name: string, signal: NodeJS.Signals): Promise<void>;
  /** Starts the slot's process again and waits until it is ready. */
  start(name: string): Promise<void>;
  close(): Promise<void>;
}

export interface TopologyServers {
  postgres: TestDatabaseTarget;
  mariadb: TestDatabaseTarget;
  redisUrl: string;
}

/**
 * The production topology on this host: `npm run build`'s output run with plain node, a keyring
 * from `keyring init`, every migration run once by `migrate <service>`, the first administrator
 * from `admin create`, then each process started with the variables deploy/compose.yaml gives
 * it (MIGRATE_ON_START=false, LOG_FORMAT=json, peers by URL) on fresh server databases.
 */
export async function startTopology(servers: TopologyServers): Promise<Topology> {
  await buildOnce();
  const dir = await mkdtemp(join(tmpdir(), 'tributary-topology-'));
  const databases = {} as Record<ServiceName, TestDatabase>;
  const slots: ServiceProcess[] = [];
  const topology = {
    processes: slots,
    databases,
    process: (name: string) => slotNamed(slots, name),
    close: async () => {
      await Promise.allSettled(slots.map((slot) => stopSlot(slot, 'SIGKILL')));
      // The processes' own account of a failed run, kept where the runner asks for it.
      const keep = process.env.TOPOLOGY_LOG_DIR;
      if (keep) for (const slot of slots) await writeFile(join(keep, `${slot.name}.log`), `${slot.lines.join('\n')}\n`);
      await Promise.allSettled(Object.values(databases).map((handle) => handle.destroy()));
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    const keyringFile = join(dir, 'keyring.json');
    // compose's two one-shot release steps, keyring-init and migrate, are independent of each other.
    const keyring = expectRun(['keyring', 'init', '--file', keyringFile], {});
    // Awaited below; this only keeps a failure from going unhandled while the databases are made.
    keyring.catch(() => undefined);
    await Promise.all(
      SERVICES.map(async (service) => {
        databases[service] = await (service === 'erp' ? servers.mariadb : servers.postgres).create();
      }),
    );

    const ports = await slotPorts(PROCESSES.length);
    const urlOf = (name: string) => `http://127.0.0.1:${ports[PROCESSES.findIndex((p) => p.name === name)]}`;
    const shared = {
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      TRIBUTARY_KEYRING_FILE: keyringFile,
      // erp keeps its master key file in the data directory; never the checkout's.
      TRIBUTARY_DATA_DIR: join(dir, 'data'),
      DATABASE_WAIT_SECONDS: '60',
      MIGRATE_ON_START: 'false',
      ORDERS_URL: urlOf('orders'),
      PROCESSING_URL: urlOf('processing'),
      ERP_URL: urlOf('erp'),
      SYNC_URL: urlOf('sync-a'),
      GATEWAY_URL: urlOf('gateway-a'),
    };
    const gatewayEnv = { REDIS_URL: servers.redisUrl, GATEWAY_SECRET_KEY: randomBytes(32).toString('hex'), CONSOLE_DIR: '' };

    // The release step of compose's `migrate` service, once per service before any service
    // starts. Each service has its own database, so the five run side by side.
    const passwordFile = join(dir, 'admin-password');
    await writeFile(passwordFile, `${ADMIN.password}\n`, { mode: 0o600 });
    await Promise.all([
      keyring,
      ...SERVICES.map(async (service) => {
        await expectRun(['migrate', service], { ...shared, DATABASE_URL: databases[service].url });
        if (service !== 'gateway') return;
        // The first administrator's record is signed with the gateway's key from the keyring.
        await keyring;
        await expectRun(['admin', 'create', '--username', ADMIN.username, '--password-file', passwordFile], {
          ...shared,
          ...gatewayEnv,
          DATABASE_URL: databases.gateway.url,
        });
      }),
    ]);

    for (const [index, { name, service }] of PROCESSES.entries()) {
      const env: Record<string, string> = { ...shared, PORT: String(ports[index]), DATABASE_URL: databases[service].url };
      if (service === 'gateway') Object.assign(env, gatewayEnv);
      if (service === 'sync') Object.assign(env, { REDIS_URL: servers.redisUrl, SYNC_WORKER_ID: name });
      slots.push({ name, service, port: ports[index]!, url: urlOf(name), env, child: undefined, lines: [], exits: [] });
    }
    // Backends first, then sync and the gateways, as compose's health checks order them.
    for (const step of START_ORDER) await Promise.all(step.map((name) => startSlot(slotNamed(slots, name))));
    return {
      ...topology,
      gateways: [slotNamed(slots, 'gateway-a'), slotNamed(slots, 'gateway-b')],
      cliEnv: { TRIBUTARY_KEYRING_FILE: keyringFile, ORDERS_URL: shared.ORDERS_URL, PROCESSING_URL: shared.PROCESSING_URL },
      stop: (name, signal) => stopSlot(slotNamed(slots, name), signal),
      start: (name) => startSlot(slotNamed(slots, name)),
    } satisfies Topology;
  } catch (error) {
    await topology.close();
    throw error;
  }
}

function slotNamed(slots: readonly ServiceProcess[], name: string): ServiceProcess {
  const slot = slots.find((candidate) => candidate.name === name);
  if (!slot) throw new Error(`no process ${name}`);
  return slot;
}

async function expectRun(args: string[], env: Record<string, string>): Promise<void> {
  const result = await runBuilt(args, env);
  if (result.code !== 0) throw new Error(`tributary ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
}
