import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { systemCommandContext } from '@tributary/platform/command';
import { systemClock } from '@tributary/platform/core';
import { asTables, type Kysely } from '@tributary/platform/db';
import { ensureConsoleBuilt } from '../../apps/console/build/build.js';
import { launchChromium } from '../../apps/console/build/chromium.js';
import type { OrdersDatabase } from '../../services/orders/src/db/schema.js';
import type { Command, OrderDeps } from '../../services/orders/src/deps.js';
import { readOrdersConfig } from '../../services/orders/src/config.js';
import { MTP_GROUPS } from '../../services/orders/src/domain.js';
import { noMetrics } from '../../services/orders/src/metrics.js';
import { createOrders } from '../../services/orders/src/features/orders/orders.service.js';
import { uploadPlan } from '../../services/orders/src/features/plans/plans.service.js';
import { startPlatform } from '../../tests/security/platform.js';
import type { RoundMetrics, Scenario } from '../src/types.js';

const SHIPMENTS = 1_000;
const USER = 'seeduwa-officer';
const PASSWORD = 'tributary-demo';
/** The first page's JavaScript budget (ADR 0701), gzipped. */
const FIRST_PAGE_BUDGET_BYTES = 250 * 1024;

/**
 * 1,000 requests (one shipment each) in one call of the orders service's own command, in one
 * transaction, on its database: the gateway and HTTP would only measure the seeding.
 */
async function seedShipments(db: Kysely<OrdersDatabase>): Promise<void> {
  const deps: OrderDeps = { db, clock: systemClock, config: readOrdersConfig({}), onEventsCommitted: () => {}, metrics: noMetrics };
  const command = (): Command => ({
    ...systemCommandContext('bench', systemClock),
    caller: { actor: 'bench', grants: new Set([...MTP_GROUPS, 'SERVICE' as const]) },
  });
  const day = new Date().toISOString().slice(0, 10);
  const product = 'Bench Breakfast 100 bags';
  await uploadPlan(deps, command(), [
    {
      row: 1,
      values: {
        order_code: 'BENCH-ORD',
        product_name: product,
        item_code: 'BLT-BENCH',
        requirement: String(SHIPMENTS * 10),
        plan_start: day,
        plan_end: day,
        lot_code: 'L-B',
      },
    },
  ]);
  await createOrders(
    deps,
    command(),
    Array.from({ length: SHIPMENTS }, (_, index) => ({
      order_code: 'BENCH-ORD',
      product_name: product,
      requirement: String(1 + (index % 9)),
      comments: `bench ${index + 1}`,
      status: 'ORDER_REQUESTED' as const,
    })),
  );
}

const scenario: Scenario = {
  name: 'console',
  description: `Console: gzipped JS of the first page, and sign-in → a rendered list of ${SHIPMENTS} shipments in headless Chromium vs the same list fetched as JSON`,
  async run(ctx) {
    ctx.log('building the console if stale');
    const dir = await ensureConsoleBuilt(ctx.log);
    const platform = await startPlatform({ CONSOLE_DIR: dir });
    const browser = await launchChromium();
    try {
      const origin = platform.node('gateway').url;
      const seedStart = performance.now();
      await seedShipments(asTables<OrdersDatabase>(platform.node('orders').database.db));
      ctx.log(`seeded ${SHIPMENTS} shipments in ${(performance.now() - seedStart).toFixed(0)} ms`);

      // The first page: every script the sign-in screen loads, as served, gzipped here.
      const first = await browser.newContext();
      const scripts = new Map<string, number>();
      const page0 = await first.newPage();
      page0.on('response', (response) => {
        if (response.request().resourceType() !== 'script') return;
        void response.body().then((body) => scripts.set(response.url(), gzipSync(body, { level: 9 }).length));
      });
      await page0.goto(`${origin}/`);
      await page0.getByLabel('User name').waitFor();
      await page0.waitForLoadState('networkidle');
      await first.close();
      const firstPageBytes = [...scripts.values()].reduce((sum, bytes) => sum + bytes, 0);
      ctx.log(`first page: ${scripts.size} scripts, ${(firstPageBytes / 1024).toFixed(1)} kB gzipped`);
      if (firstPageBytes > FIRST_PAGE_BUDGET_BYTES)
        throw new Error(`the first page's JavaScript is ${firstPageBytes} bytes gzipped, over the ${FIRST_PAGE_BUDGET_BYTES} budget`);

      const variants = [
        {
          name: `sign in + GET /order as JSON (${SHIPMENTS}+ shipments)`,
          role: 'baseline' as const,
          async op(): Promise<number> {
            const login = await fetch(`${origin}/api/v1/auth/login`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ username: USER, password: PASSWORD }),
            });
            const { accessToken } = (await login.json()) as { accessToken: string };
            const list = await fetch(`${origin}/order`, { headers: { authorization: `Bearer ${accessToken}` } });
            const orders = (await list.json()) as Array<{ shipments: unknown[] }>;
            return orders.reduce((sum, order) => sum + order.shipments.length, 0);
          },
        },
        {
          name: `sign in → rendered Shipments page in Chromium (${SHIPMENTS}+ shipments)`,
          role: 'subject' as const,
          async op(): Promise<number> {
            const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
            try {
              const page = await context.newPage();
              await page.goto(`${origin}/`);
              await page.getByLabel('User name').fill(USER);
              await page.getByLabel('Password').fill(PASSWORD);
              const started = performance.now();
              await page.getByRole('button', { name: 'Sign in' }).click();
              // Rendered: the table's first row and its count of every shipment.
              const count = page.getByText(/^Shipments: \d+ of \d+$/);
              await count.waitFor({ timeout: 120_000 });
              await page.getByRole('table').locator('tbody tr').first().waitFor();
              const shown = Number(/of (\d+)$/.exec((await count.textContent()) ?? '')?.[1]);
              lastRenderMs = performance.now() - started;
              return shown;
            } finally {
              await context.close();
            }
          },
        },
      ];
      let lastRenderMs = 0;
      const rounds = new Map<string, RoundMetrics[]>(variants.map((variant) => [variant.name, []]));
      for (let round = 0; round < ctx.rounds; round++) {
        for (let step = 0; step < variants.length; step++) {
          const variant = variants[(round + step) % variants.length]!;
          const t0 = performance.now();
          const size = await variant.op();
          // The browser variant is timed from the click; the page load before it is not sign-in.
          const ms = variant.role === 'subject' ? lastRenderMs : performance.now() - t0;
          if (size < SHIPMENTS) throw new Error(`${variant.name}: only ${size} shipments`);
          ctx.log(`round ${round + 1}/${ctx.rounds} ${variant.name}: ${ms.toFixed(1)} ms, ${size} shipments`);
          rounds.get(variant.name)!.push({ rps: 1000 / ms, p50: ms, p99: ms, requests: 1 });
        }
      }
      return {
        variants: variants.map((variant) => ({ name: variant.name, role: variant.role, rounds: rounds.get(variant.name)! })),
        parameters: {
          shipments: SHIPMENTS,
          user: USER,
          firstPageScripts: scripts.size,
          firstPageJsGzipBytes: firstPageBytes,
          firstPageJsBudgetBytes: FIRST_PAGE_BUDGET_BYTES,
        },
      };
    } finally {
      await browser.close();
      await platform.stop();
    }
  },
};
export default scenario;
