/** What one service's readiness probe (`GET /health/ready`, the kernel's) answered. */
export interface Readiness {
  service: string;
  /** The probe's own word (`ok`, `unavailable`, `draining`), or `unreachable` when it did not answer. */
  status: string;
  checks: Record<string, string>;
  httpStatus: number | null;
  latencyMs: number;
}

const PROBE_TIMEOUT_MS = 3_000;

/**
 * Asks one peer's readiness probe. The probe is public on every service, so it goes unsigned; a
 * peer that does not answer in time is reported, never thrown, so one down service cannot hide
 * the others.
 */
export async function probeReadiness(service: string, baseUrl: string): Promise<Readiness> {
  const started = Date.now();
  try {
    const response = await fetch(new URL('/health/ready', baseUrl), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const body = (await response.json().catch(() => ({}))) as { status?: unknown; checks?: unknown };
    const checks =
      typeof body.checks === 'object' && body.checks !== null
        ? Object.fromEntries(Object.entries(body.checks).map(([name, outcome]) => [name, String(outcome)]))
        : {};
    return {
      service,
      status: typeof body.status === 'string' ? body.status : response.ok ? 'ok' : 'unavailable',
      checks,
      httpStatus: response.status,
      latencyMs: Date.now() - started,
    };
  } catch (error) {
    return {
      service,
      status: 'unreachable',
      checks: { probe: (error as Error).message.slice(0, 200) },
      httpStatus: null,
      latencyMs: Date.now() - started,
    };
  }
}
