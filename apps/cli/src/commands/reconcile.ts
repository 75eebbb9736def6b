import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import {
  DEFAULT_PORTS,
  ordersApi,
  pagedRows,
  processingApi,
  reconcileMtp,
  type MtpDifference,
  type MtpReconcileSummary,
} from '@tributary/contracts';
import { createServiceClient, type ServiceClient } from '@tributary/platform/resilience';
import { credentialsFor, readKeyringFile } from '@tributary/platform/service';
import { serviceUrl } from '../ports.js';

export interface ReconcileMtpOptions {
  dataDir: string;
  env: Record<string, string | undefined>;
  pageSize: number;
  /** Largest number of differences kept for the report (all are counted). */
  maxDifferences: number;
  /** Progress bar on stderr (off for --json into a pipe, and in tests). */
  progress: boolean;
}

export interface ReconcileMtpReport {
  summary: MtpReconcileSummary;
  differences: MtpDifference[];
  truncated: boolean;
}

/**
 * `tributary reconcile mtp`: pages the orders side (shipments) and the processing side (Σ
 * allocations) straight from both services, signed with the platform keyring's `cli` key, and
 * merges them with the shared comparator in constant memory. URLs: ORDERS_URL / PROCESSING_URL,
 * else where `up` listens (ORDERS_PORT / PROCESSING_PORT or the defaults); keys: TRIBUTARY_KEYRING_FILE, else <data dir>/keyring.json.
 */
export async function reconcileMtpCommand(options: ReconcileMtpOptions): Promise<ReconcileMtpReport> {
  const keyringPath = options.env.TRIBUTARY_KEYRING_FILE ?? resolve(options.dataDir, 'keyring.json');
  const keyring = await readKeyringFile(keyringPath);
  const credentials = credentialsFor(keyring, options.env.TRIBUTARY_CLI_PRINCIPAL ?? 'cli');
  const scope = { region: options.env.SIGV4_REGION ?? 'us-east-1', service: options.env.SIGV4_SERVICE ?? 'execute-api' };
  const client = (name: string, url: string): ServiceClient =>
    createServiceClient({ name, baseUrl: url, credentials, scope, timeoutMs: 30_000 });
  const orders = client('orders', serviceUrl('orders', DEFAULT_PORTS.orders, options.env));
  const processing = client('processing', serviceUrl('processing', DEFAULT_PORTS.processing, options.env));
  const bar = options.progress
    ? new cliProgress.SingleBar(
        {
          format: 'reconciling MTP |{bar}| {value} shipments · {allocations} allocation groups · {differences} differences',
          hideCursor: true,
          stream: process.stderr,
          etaBuffer: 1,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  try {
    const shipments = pagedRows((after) => ordersApi(orders).reconcileShipments({ limit: options.pageSize, after }));
    const allocations = pagedRows((after) => processingApi(processing).reconcileAllocations({ limit: options.pageSize, after }));
    bar?.start(0, 0, { allocations: 0, differences: 0 });
    let lastDraw = 0;
    const run = reconcileMtp(shipments, allocations, (p) => {
      if (!bar || p.shipments - lastDraw < 500) return;
      lastDraw = p.shipments;
      bar.setTotal(Math.max(p.shipments, p.allocationGroups));
      bar.update(p.shipments, { allocations: p.allocationGroups, differences: p.differences });
    });
    const differences: MtpDifference[] = [];
    for (;;) {
      const step = await run.next();
      if (step.done) {
        bar?.setTotal(Math.max(step.value.shipments, 1));
        bar?.update(step.value.shipments, { allocations: step.value.allocationGroups, differences: step.value.differences });
        return { summary: step.value, differences, truncated: step.value.differences > differences.length };
      }
      if (differences.length < options.maxDifferences) differences.push(step.value);
    }
  } finally {
    bar?.stop();
    await Promise.allSettled([orders.close(), processing.close()]);
  }
}

/** The human-readable report: one line per difference with both sides, then the totals. */
export function formatReconcileTable(report: ReconcileMtpReport): string {
  const header = ['kind', 'request', 'shipment', 'orders qty kg', 'orders status', 'allocated kg', 'bags', 'dispatched'];
  const rows = report.differences.map((d) => [
    d.kind,
    d.request_code,
    String(d.shipment_code),
    d.orders?.quantity_kg ?? '—',
    d.orders?.status ?? '(no shipment)',
    d.processing?.allocated_kg ?? '0',
    String(d.processing?.bags ?? 0),
    String(d.processing?.dispatched_bags ?? 0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const { summary } = report;
  const totals = `${summary.shipments} shipments, ${summary.allocationGroups} allocation groups, ${summary.differences} differences${
    summary.differences > 0
      ? ` (${Object.entries(summary.byKind)
          .map(([k, n]) => `${k}: ${n}`)
          .join(', ')})`
      : ''
  }${report.truncated ? `; first ${report.differences.length} listed` : ''}`;
  if (rows.length === 0) return `${totals}\n`;
  return `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n\n${totals}\n`;
}
