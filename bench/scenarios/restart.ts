import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '@tributary/platform/testing';
import type { RoundMetrics, Scenario, VariantResult } from '../src/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'apps/cli/dist/main.js');
const SERVICES = ['orders', 'processing', 'erp', 'gateway', 'sync'] as const;
/** The goal the requirement sets for `npm start` on an existing data directory. */
const TARGET_MS = 3_000;
const POLL_MS = 25;

const run = promisify(execFile);

type Ports = Record<string, string>;

async function servicePorts(): Promise<Ports> {
  const entries = await Promise.all(SERVICES.map(async (s) => [`${s.toUpperCase()}_PORT`, String(await freePort())] as const));
  return Object.fromEntries(entries);
}

// Passed on to `up` from the benchmark's own environment, to compare the two settings.
const PASSED_ON = ['TRIBUTARY_PGLITE_THREADS'] as const;

function spawnNode(args: string[], env: Record<string, string>): ChildProcess {
  const passedOn = Object.fromEntries(PASSED_ON.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]])));
  return spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', CONSOLE_DIR: '', ...passedOn, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function untilOk(url: string, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode} before ${url} answered`);
    const response = await fetch(url).catch(() => undefined);
    if (response?.status === 200) return;
    await sleep(POLL_MS);
  }
}

/**
 * CPU time the process (all its threads) used so far, in milliseconds, from /proc (Linux); on a
 * busy machine it moves far less than the wall time. Undefined where /proc is missing.
 */
async function cpuMs(child: ChildProcess): Promise<number | undefined> {
  const stat = await readFile(`/proc/${child.pid}/stat`, 'utf8').catch(() => undefined);
  // utime and stime are fields 14 and 15; the command name before them may contain spaces.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (!fields) return undefined;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** USER_HZ, 100 on every Linux that node supports. */
const CLOCK_TICKS = 100;

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const gone = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGTERM');
  await gone;
}

/** `tributary up` until every service answers ready: what an operator waits for after a restart. */
async function upUntilReady(dataDir: string, ports: Ports): Promise<ChildProcess> {
  const child = spawnNode([MAIN, '--data-dir', dataDir, 'up'], { ...ports, TRIBUTARY_STATUS_PORT: String(await freePort()) });
  await Promise.all(SERVICES.map((s) => untilOk(`http://127.0.0.1:${ports[`${s.toUpperCase()}_PORT`]}/health/ready`, child)));
  return child;
}

/**
 * The floor: plain node opening the same five PGlite directories (with the settings the platform
 * uses) and nothing else. What `up` adds on top is module loading, Fastify and its schemas,
 * migration checks and the services' own start-up.
 */
async function fivePgliteUntilOpen(dataDir: string): Promise<ChildProcess> {
  const port = await freePort();
  const dirs = JSON.stringify(SERVICES.map((s) => join(dataDir, s)));
  const script = `const { PGlite } = await import('@electric-sql/pglite');
    const params = [...PGlite.defaultStartParams, '-c', 'shared_buffers=8MB', '-c', 'max_connections=5'];
    await Promise.all(${dirs}.map(async (dataDir) => { const db = new PGlite({ dataDir, startParams: params }); await db.query('select 1'); }));
    (await import('node:http')).createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1');`;
  const child = spawnNode(['--input-type=module', '-e', script], {});
  await untilOk(`http://127.0.0.1:${port}/`, child);
  return child;
}

interface Variant {
  name: string;
  role: 'baseline' | 'subject';
  start(dataDir: string, ports: Ports): Promise<ChildProcess>;
}

const variants: Variant[] = [
  { name: 'five PGlite directories opened by plain node', role: 'baseline', start: (dir) => fivePgliteUntilOpen(dir) },
  { name: 'tributary up on an existing data directory, all five ready', role: 'subject', start: upUntilReady },
];

/**
 * Restart time, not throughput: `up` on a data directory that a first `up` created and seeded,
 * from spawn until every service's /health/ready answers 200, against plain node opening the
 * same five PGlite directories in the same run. p50 = p99 = milliseconds; req/s = 1000 ÷ ms.
 */
const scenario: Scenario = {
  name: 'restart',
  description:
    '`tributary up` on an existing embedded data directory until all five services are ready, against opening the five PGlite directories alone',
  async run(ctx) {
    ctx.log('building (npm run build without the console)');
    await run(process.execPath, ['scripts/build.mjs', '--no-console'], { cwd: ROOT });
    const root = await mkdtemp(join(tmpdir(), 'tributary-bench-restart-'));
    const dataDir = join(root, 'data');
    try {
      ctx.log('first start: creating and seeding the data directory');
      await stop(await upUntilReady(dataDir, await servicePorts()));
      const rounds = new Map<string, RoundMetrics[]>(variants.map((v) => [v.name, []]));
      const cpu = new Map<string, number[]>(variants.map((v) => [v.name, []]));
      for (let round = 0; round < ctx.rounds; round++) {
        for (const variant of variants) {
          const ports = await servicePorts();
          const started = performance.now();
          const child = await variant.start(dataDir, ports);
          const ms = performance.now() - started;
          const cpuAtReady = await cpuMs(child);
          await stop(child);
          if (cpuAtReady !== undefined) cpu.get(variant.name)!.push(cpuAtReady);
          ctx.log(`round ${round + 1}/${ctx.rounds} ${variant.name}: ${ms.toFixed(0)} ms (CPU ${cpuAtReady ?? '?'} ms)`);
          rounds.get(variant.name)!.push({ rps: 1000 / ms, p50: ms, p99: ms, requests: 1 });
        }
      }
      const results: VariantResult[] = variants.map((v) => ({ name: v.name, role: v.role, rounds: rounds.get(v.name)! }));
      const medianMs = (name: string) => {
        const values = rounds
          .get(name)!
          .map((r) => r.p50)
          .sort((a, b) => a - b);
        return Math.round(values[Math.floor(values.length / 2)]!);
      };
      const upMs = medianMs(variants[1]!.name);
      ctx.log(upMs <= TARGET_MS ? `target met: ${upMs} ms ≤ ${TARGET_MS} ms` : `over target: ${upMs} ms > ${TARGET_MS} ms`);
      return {
        variants: results,
        parameters: {
          reading: 'p50 = p99 = milliseconds from spawn to ready; p99 vs base = ratio to opening the five PGlite directories alone',
          targetMs: TARGET_MS,
          pgliteThreads: process.env.TRIBUTARY_PGLITE_THREADS === 'true',
          medianMs: Object.fromEntries(variants.map((v) => [v.name, medianMs(v.name)])),
          // CPU time at ready, every thread of the process: what the start costs, apart from the load.
          cpuMsAtReady: Object.fromEntries(variants.map((v) => [v.name, cpu.get(v.name)!])),
        },
      };
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};
export default scenario;
