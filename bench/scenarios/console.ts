import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureConsoleBuilt } from '@tributary/console/build';
import { launchChromium } from '@tributary/console/chromium';
import { startPlatform } from '../../tests/security/platform.js';
import type { RoundMetrics, Scenario, ScenarioContext, VariantResult } from '../src/types.js';

/*
 * The console against the API it shows, in the same run on the same platform (every service
 * in-process on PGlite, the gateway serving the built console): with 1,000 shipments, the
 * subject is the time from pressing "Sign in" to the shipments list rendered in headless
 * Chromium; the baseline is the same list fetched as JSON with a token already in hand.
 * Each iteration is one fresh browser context (no cache, no session), one user at a time:
 * `connections` does not apply. Also checked: the gzipped JavaScript the first page loads
 * stays within its budget.
 */

const SHIPMENTS = 1_000;
const FIRST_PAGE_BUDGET_BYTES = 250 * 1024;
const PASSWORD = 'tributary-demo';
const BATCH = 250;

async function json(response: Response): Promise<unknown> {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

async function tokenOf(origin: string, username: string): Promise<string> {
  const body = (await json(await fetch(`${origin}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) }))) as { accessToken: string };
  return body.accessToken;
}

/** A plan large enough, and 1,000 standard requests against it (each with its shipment 1). */
async function seedShipments(origin: string): Promise<void> {
  const admin = await tokenOf(origin, 'grandpass-admin');
  const plan = { order_code: 'BENCH-CONSOLE', product_name: 'Bench blend', item_code: 'BLT00001', requirement: String(SHIPMENTS * 10), plan_start: '2026-01-01', plan_end: '2026-12-31' };
  await json(await fetch(`${origin}/order/plan`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify([plan]) }));
  const officer = await tokenOf(origin, 'grandpass-officer');
  for (let start = 0; start < SHIPMENTS; start += BATCH) {
    const requests = Array.from({ length: Math.min(BATCH, SHIPMENTS - start) }, (_, index) => ({ order_code: plan.order_code, product_name: plan.product_name, requirement: `${5 + ((start + index) % 5)}.25`, status: 'ORDER_REQUESTED' }));
    await json(await fetch(`${origin}/order`, { method: 'POST', headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' }, body: JSON.stringify(requests) }));
  }
}

/** Gzipped size of the JavaScript index.html loads before anything else (the entry and its preloads). */
async function firstPageJsBytes(dist: string): Promise<number> {
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1]!);
  const sizes = await Promise.all(scripts.map(async (script) => gzipSync(await readFile(join(dist, script))).length));
  return sizes.reduce((sum, size) => sum + size, 0);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Timed iterations for `seconds` (at least three), as one round. */
async function round(seconds: number, once: () => Promise<number>): Promise<RoundMetrics> {
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until || times.length < 3) times.push(await once());
  times.sort((a, b) => a - b);
  const total = times.reduce((sum, time) => sum + time, 0);
  return { rps: (times.length * 1000) / total, p50: percentile(times, 50), p99: percentile(times, 99), requests: times.length };
}

async function run(ctx: ScenarioContext) {
  const dist = await ensureConsoleBuilt(ctx.log);
  const firstPage = await firstPageJsBytes(dist);
  ctx.log(`first page JavaScript: ${(firstPage / 1024).toFixed(1)} kB gzipped (budget ${FIRST_PAGE_BUDGET_BYTES / 1024} kB)`);
  if (firstPage > FIRST_PAGE_BUDGET_BYTES) throw new Error(`the console's first page loads ${firstPage} bytes of gzipped JavaScript, over the ${FIRST_PAGE_BUDGET_BYTES} budget`);

  const platform = await startPlatform({ CONSOLE_DIR: dist, IP_LIMIT_PER_MINUTE: '0', IP_LIMIT_PER_HOUR: '0', IP_LIMIT_PER_DAY: '0' });
  const browser = await launchChromium();
  try {
    const origin = platform.node('gateway').url;
    ctx.log(`seeding ${SHIPMENTS} shipments`);
    await seedShipments(origin);
    const token = await tokenOf(origin, 'seeduwa-officer');

    const asJson = async () => {
      const started = performance.now();
      const body = (await json(await fetch(`${origin}/order`, { headers: { authorization: `Bearer ${token}` } }))) as Array<{ shipments: unknown[] }>;
      if (body.reduce((sum, request) => sum + request.shipments.length, 0) < SHIPMENTS) throw new Error('the JSON list is short of the seeded shipments');
      return performance.now() - started;
    };
    const inBrowser = async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${origin}/#/shipments`);
        await page.getByLabel('User name').fill('seeduwa-officer');
        await page.getByLabel('Password').fill(PASSWORD);
        const started = performance.now();
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByText(/^Shipments: \d{4,} of \d{4,}$/).waitFor();
        await page.getByRole('button', { name: /^\d+\/1$/ }).first().waitFor();
        return performance.now() - started;
      } finally {
        await context.close();
      }
    };

    if (ctx.warmup > 0) {
      await round(ctx.warmup, asJson);
      await round(ctx.warmup, inBrowser);
    }
    const variants: VariantResult[] = [
      { name: 'GET /order as JSON (1,000 shipments)', role: 'baseline', rounds: [] },
      { name: 'sign-in to rendered shipments list', role: 'subject', rounds: [] },
    ];
    for (let index = 0; index < ctx.rounds; index++) {
      variants[0]!.rounds.push(await round(ctx.duration, asJson));
      variants[1]!.rounds.push(await round(ctx.duration, inBrowser));
      ctx.log(`round ${index + 1}: JSON p50 ${variants[0]!.rounds.at(-1)!.p50.toFixed(0)} ms, console p50 ${variants[1]!.rounds.at(-1)!.p50.toFixed(0)} ms`);
    }
    return { variants, parameters: { shipments: SHIPMENTS, firstPageJsGzipBytes: firstPage, firstPageBudgetBytes: FIRST_PAGE_BUDGET_BYTES, note: 'one user at a time; connections does not apply' } };
  } finally {
    await browser.close();
    await platform.stop();
  }
}

const scenario: Scenario = {
  name: 'console',
  description: 'console: first-page JS budget, and sign-in to a rendered list of 1,000 shipments vs the same list as JSON',
  run,
};
export default scenario;
