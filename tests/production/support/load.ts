import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Answer, GatewayClient } from './gateway.js';

/** One try of a write: the replica it went to, and its status (with the error code) or the connection error. */
export interface Attempt {
  replica: number;
  requestId: string;
  status?: number;
  code?: string;
  error?: string;
}

/** One logical write: a new order request in orders or a store location in processing. */
export interface Write {
  kind: 'order' | 'location';
  /** The request's comments (orders) or location name (processing): how its effect is found. */
  label: string;
  key: string;
  attempts: Attempt[];
  final: Answer;
}

export interface Load {
  readonly writes: readonly Write[];
  /** Resolves once `count` more writes have finished. */
  after(count: number): Promise<void>;
  /** Lets the writes in flight finish and returns every write. */
  stop(): Promise<Write[]>;
}

/** Answers that mean "this replica or its upstream cannot take it now": the client tries again. */
const TRANSIENT = new Set([502, 503, 504]);
/** A write that cannot land within this much is a failure of the platform, not a slow machine. */
const WRITE_DEADLINE_MS = 75_000;

/**
 * A steady trickle of idempotent writes through both gateway replicas (two loops, so one is
 * usually in flight when a process dies). Each write keeps its Idempotency-Key across tries:
 * after a connection error it goes to the other replica; after a 502/503/504 or a 409 "still in
 * progress" it waits and tries again. Small on purpose: tens of writes, not thousands.
 */
export function startLoad(client: GatewayClient, tag: string, orderCode: string): Load {
  const writes: Write[] = [];
  const waiters: Array<{ target: number; resolve: () => void }> = [];
  let running = true;
  let counter = 0;

  const loop = async (lane: number) => {
    while (running) {
      const n = counter++;
      const label = `${tag}-${n}`;
      const write =
        n % 2 === 0
          ? await attempt(client, lane, 'order', label, 'GRANDPASS-OFFICER', '/order', [
              { order_code: orderCode, product_name: 'Load blend', requirement: '1', status: 'ORDER_REQUESTED', comments: label },
            ])
          : await attempt(client, lane, 'location', label, 'SEEDUWA-OFFICER', '/app/admin/location', {
              location_name: label,
              herbline_section: false,
            });
      writes.push(write);
      for (const waiter of waiters.filter((w) => writes.length >= w.target)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      // About two writes a second across both lanes: a steady trickle, tens of writes per phase.
      await sleep(1000);
    }
  };
  const lanes = [loop(0), loop(1)];
  return {
    writes,
    after: (count) => new Promise<void>((resolve) => waiters.push({ target: writes.length + count, resolve })),
    stop: async () => {
      running = false;
      await Promise.all(lanes);
      return writes;
    },
  };
}

async function attempt(
  client: GatewayClient,
  lane: number,
  kind: Write['kind'],
  label: string,
  role: string,
  path: string,
  body: unknown,
): Promise<Write> {
  const key = `${label}-${randomUUID()}`;
  const attempts: Attempt[] = [];
  const started = Date.now();
  let replica = lane;
  for (;;) {
    const requestId = randomUUID();
    try {
      const answer = await client.send(replica, 'POST', path, {
        token: client.token(role),
        body,
        headers: { 'idempotency-key': key, 'x-request-id': requestId },
      });
      const code = (answer.body as { code?: unknown } | undefined)?.code;
      attempts.push({ replica, requestId, status: answer.status, ...(typeof code === 'string' ? { code } : {}) });
      const inProgress = answer.status === 409 && (answer.body as { code?: unknown }).code === 'IDEMPOTENCY_REQUEST_IN_PROGRESS';
      if (!TRANSIENT.has(answer.status) && !inProgress) return { kind, label, key, attempts, final: answer };
      await sleep(Number(answer.headers['retry-after'] ?? 0) * 1000 || 250);
    } catch (error) {
      attempts.push({ replica, requestId, code: errorCode(error), error: String(error) });
      await sleep(50);
    }
    // Given up: recorded as a failed write (status 0) for the test to report with its attempts.
    if (Date.now() - started > WRITE_DEADLINE_MS)
      return { kind, label, key, attempts, final: { replica, status: 0, headers: {}, body: '' } };
    // Whatever went wrong, the next try goes to the other replica, as a load balancer would.
    replica = 1 - replica;
  }
}

/** undici puts the socket's error code (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET) on the cause. */
function errorCode(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause && typeof cause === 'object' && 'code' in cause) return String(cause.code);
  return error instanceof Error ? error.message : String(error);
}

/** Was the request seen by any process (its id in a log line)? Then a reset of it was a reset of an accepted request. */
export function acceptedSomewhere(requestId: string, outputs: ReadonlyArray<readonly string[]>): boolean {
  return outputs.some((lines) => lines.some((line) => line.includes(requestId)));
}
