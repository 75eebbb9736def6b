import { Worker } from 'node:worker_threads';
import type { LoadJob, LoadReply } from './load-worker.js';
import type { RoundMetrics, ScenarioContext, VariantResult, VariantRole } from './types.js';

export type Headers = Record<string, string>;

export interface LoadTarget {
  name: string;
  role: VariantRole;
  url: string;
  method?: LoadJob['method'];
  body?: string;
  /**
   * Called before every round (and the warm-up); its headers go on every request of that
   * round. A SigV4 signature stays valid for the verifier's clock-skew window (five minutes),
   * so one signature per round is what a keep-alive client may legitimately do, and the server
   * still verifies every request in full. Keep rounds well inside that window.
   */
  headers?: () => Headers | Promise<Headers>;
}

const WORKER_URL = new URL('./load-worker.ts', import.meta.url).href;
const TSX_API_URL = import.meta.resolve('tsx/esm/api');

/**
 * One autocannon run in a worker thread. The servers under test live on the main thread, so
 * the load generator gets the other core rather than stealing the server's event loop; the
 * worker imports tsx itself because Node 20 does not pass loader hooks on to workers.
 */
export function runAutocannon(job: LoadJob): Promise<RoundMetrics> {
  const bootstrap = `import(${JSON.stringify(TSX_API_URL)}).then(({ tsImport }) => tsImport(${JSON.stringify(WORKER_URL)}, ${JSON.stringify(import.meta.url)}))`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(bootstrap, { eval: true, workerData: job });
    let settled = false;
    worker.once('message', (reply: LoadReply) => {
      settled = true;
      if (reply.ok) resolve(reply.metrics);
      else reject(new Error(reply.error));
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`load worker exited with code ${code} before reporting`));
    });
  });
}

async function jobFor(target: LoadTarget, ctx: ScenarioContext, duration: number): Promise<LoadJob> {
  return {
    url: target.url,
    method: target.method ?? 'GET',
    headers: (await target.headers?.()) ?? {},
    ...(target.body === undefined ? {} : { body: target.body }),
    connections: ctx.connections,
    duration,
  };
}

/**
 * Warms every target, then runs the rounds interleaved (round 1 of each target, then round 2...)
 * with the starting target rotated each round, so drift in the machine and the order of runs
 * land on every variant alike instead of on whichever ran last.
 */
export async function measureTargets(targets: LoadTarget[], ctx: ScenarioContext): Promise<VariantResult[]> {
  const rounds = new Map<string, RoundMetrics[]>(targets.map((target) => [target.name, []]));
  if (rounds.size !== targets.length) throw new Error('target names must be unique');
  if (ctx.warmup > 0) {
    for (const target of targets) {
      ctx.log(`warm-up ${target.name} (${ctx.warmup}s)`);
      await runAutocannon(await jobFor(target, ctx, ctx.warmup));
    }
  }
  for (let round = 0; round < ctx.rounds; round++) {
    for (let step = 0; step < targets.length; step++) {
      const target = targets[(round + step) % targets.length]!;
      const metrics = await runAutocannon(await jobFor(target, ctx, ctx.duration));
      ctx.log(`round ${round + 1}/${ctx.rounds} ${target.name}: ${Math.round(metrics.rps)} req/s, p99 ${metrics.p99.toFixed(2)} ms`);
      rounds.get(target.name)!.push(metrics);
    }
  }
  return targets.map((target) => ({ name: target.name, role: target.role, rounds: rounds.get(target.name)! }));
}
