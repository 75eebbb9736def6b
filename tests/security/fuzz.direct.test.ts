import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFuzz, startSession, type FuzzSession } from './harness.js';

/**
 * Malformed requests signed straight to each service with the test keyring, as the gateway
 * would forward them for users of the service's roles (or as sync/cli on /internal routes).
 * With fuzz.gateway.test.ts the suite sends more than 10,000. README.md says how to read and replay a run.
 */
const TOTAL = Number(process.env.FUZZ_DIRECT_REQUESTS ?? 4_200);

describe('security fuzz signed directly to each service', () => {
  let session: FuzzSession;
  beforeAll(async () => {
    session = await startSession();
  });
  afterAll(async () => session?.stop());

  it('answers no malformed request with 5xx, changes no row and leaves every breaker closed', async () => {
    const outcome = await runFuzz(session, 'direct', TOTAL);
    expect(outcome.sent.length).toBeGreaterThanOrEqual(Math.min(TOTAL, 4_200));
    expect(outcome.groups.filter((group) => !group.key.startsWith('audit')).map((group) => `${group.count} × ${group.key}`)).toEqual([]);
    expect(outcome.accepted).toEqual([]);
    expect(outcome.changed).toEqual({});
    expect(outcome.openCircuits).toEqual([]);
    expect(outcome.bystander).toBe(200);
  }, 300_000);
});
