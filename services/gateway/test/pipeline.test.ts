import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type FuzzPlatform } from '../../../tests/security/platform.js';

const PASSWORD = 'tributary-demo';

/**
 * The test's own connection pools, so the shutdown case can let go of every idle connection
 * first: a spare socket a client opened and never sent a request on is not the stream's to end.
 */
const calls = new Agent();
const fetch = (url: string, init: Parameters<typeof undiciFetch>[1] = {}) => undiciFetch(url, { dispatcher: calls, ...init });

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
}

/** Reads a `text/event-stream` body one event (blank-line-terminated block) at a time; comments are skipped. */
function eventReader(body: ReadableStream<Uint8Array> | null) {
  if (!body) throw new Error('an event stream has a body');
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(): Promise<SseEvent | undefined> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'id') event.id = value;
            else if (field === 'event') event.event = value;
            else if (field === 'data') event.data = value;
            else if (field === 'retry') event.retry = Number(value);
          }
          if (Object.keys(event).length > 0) return event;
          continue;
        }
        const chunk = await reader.read();
        if (chunk.done) return undefined;
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

type Counts = Record<'lotsReceived' | 'batchesInQc' | 'traderPending' | 'ready' | 'dispatched' | 'accepted', number>;
const countsOf = (event: SseEvent | undefined) => (JSON.parse(event?.data ?? 'null') as { counts: Counts }).counts;

describe('the console pipeline stream (GET /api/v1/console/pipeline)', () => {
  let platform: FuzzPlatform;
  let origin: string;
  const tokens = new Map<string, string>();

  async function tokenOf(username: string): Promise<string> {
    const known = tokens.get(username);
    if (known) return known;
    const login = await fetch(`${origin}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    tokens.set(username, accessToken);
    return accessToken;
  }
  async function call(username: string, method: string, path: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${await tokenOf(username)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return response.json();
  }
  async function open(username: string, lastEventId?: string, dispatcher = calls) {
    const response = await fetch(`${origin}/api/v1/console/pipeline`, {
      dispatcher,
      headers: {
        authorization: `Bearer ${await tokenOf(username)}`,
        accept: 'text/event-stream',
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    return eventReader(response.body);
  }
  /** A new request of the demo plan, as the planning officer sends it; its shipment 1 is ORDER_REQUESTED. */
  async function newRequest(): Promise<string> {
    const [created] = (await call('grandpass-officer', 'POST', '/order', [
      { order_code: 'DEMO-ORD-0001', product_name: 'English Breakfast 100 bags', requirement: '5', status: 'ORDER_REQUESTED' },
    ])) as Array<{ request_code: string | number }>;
    return String(created!.request_code);
  }
  const makeReady = (requestCode: string) =>
    call('seeduwa-officer', 'POST', '/order/shipment/event', [{ request_code: requestCode, shipment_code: 1, status: 'ORDER_READY' }]);

  beforeAll(async () => {
    platform = await startPlatform({});
    origin = platform.node('gateway').url;
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
    if (!calls.closed) await calls.close();
  });

  it('refuses a caller without a token, with the catalogue code', async () => {
    const response = await fetch(`${origin}/api/v1/console/pipeline`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe('AUTH_REQUIRED');
  });

  it('refuses a client that does not ask for an event stream, instead of holding it open', async () => {
    const response = await fetch(`${origin}/api/v1/console/pipeline`, {
      headers: { authorization: `Bearer ${await tokenOf('seeduwa-officer')}`, accept: 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('EVENT_STREAM_NOT_ACCEPTED');
  });

  it('starts with retry and the full snapshot, then pushes a new one when a shipment is made ready', async () => {
    const stream = await open('seeduwa-officer');
    try {
      expect((await stream.next())?.retry).toBe(3000);
      const first = await stream.next();
      expect(first?.event).toBe('snapshot');
      const before = countsOf(first);
      // The seeded demo request has one shipment made ready.
      expect(before.ready).toBeGreaterThanOrEqual(1);

      await makeReady(await newRequest());
      const next = await stream.next();
      expect(next?.event).toBe('snapshot');
      expect(next?.id).not.toBe(first?.id);
      expect(countsOf(next)).toEqual({ ...before, ready: before.ready + 1 });
    } finally {
      await stream.cancel();
    }
  });

  it('leaves out the snapshot a reconnecting client already has (Last-Event-ID) and resends it otherwise', async () => {
    const first = await open('grandpass-officer');
    await first.next();
    const current = await first.next();
    await first.cancel();

    const stale = await open('grandpass-officer', 'not-a-current-id');
    await stale.next();
    expect((await stale.next())?.id).toBe(current?.id);
    await stale.cancel();

    const resumed = await open('grandpass-officer', current!.id);
    expect((await resumed.next())?.retry).toBe(3000);
    await makeReady(await newRequest());
    const after = await resumed.next();
    // Had the current snapshot been sent again, it would come first.
    expect(after?.id).not.toBe(current?.id);
    expect(countsOf(after).ready).toBe(countsOf(current).ready + 1);
    await resumed.cancel();
  });

  it('ends open streams when the gateway stops, instead of holding its shutdown', async () => {
    const streams = new Agent();
    const stream = await open('seeduwa-officer', undefined, streams);
    await stream.next();
    await stream.next();
    await calls.close();
    // Resolves only once every handler and connection is gone: an open stream would hold it.
    await platform.node('gateway').service.stop();
    expect(await stream.next()).toBeUndefined();
    await streams.close();
  });
});
