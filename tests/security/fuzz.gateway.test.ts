import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFuzz, startSession, type FuzzSession } from './harness.js';

/**
 * Malformed requests through the gateway, as users of several roles, on every path form it
 * serves. With fuzz.direct.test.ts (the same operations signed straight to each service) the
 * suite sends more than 10,000. README.md says how to read and replay a run.
 */
const TOTAL = Number(process.env.FUZZ_GATEWAY_REQUESTS ?? 6_000);

describe('security fuzz through the gateway', () => {
  let session: FuzzSession;
  beforeAll(async () => {
    session = await startSession();
  });
  afterAll(async () => session?.stop());

  it('answers no malformed request with 5xx, changes no row, loses no audit row and leaves every breaker closed', async () => {
    const outcome = await runFuzz(session, 'gateway', TOTAL);
    expect(outcome.sent.length).toBeGreaterThanOrEqual(Math.min(TOTAL, 6_000));
    expect(outcome.groups.filter((group) => !group.key.startsWith('audit')).map((group) => `${group.count} × ${group.key}`)).toEqual([]);
    expect(outcome.accepted).toEqual([]);
    expect(outcome.changed).toEqual({});
    expect(outcome.groups.filter((group) => group.key.startsWith('audit')).map((group) => `${group.count} × ${group.key}`)).toEqual([]);
    expect(outcome.auditDropped).toBe(0);
    expect(outcome.openCircuits).toEqual([]);
    expect(outcome.bystander).toBe(200);
  }, 300_000);
});
