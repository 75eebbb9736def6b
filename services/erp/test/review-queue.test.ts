import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { assignSegment, createSegment, type Harness, ok, startWithMasters } from './harness.js';

const target = testDatabases({ dialects: ['pglite'] })[0]!;

describe('segment review queue', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startWithMasters(target);
    await createSegment(h, 'MONTHLY', 'Reviewed monthly', 'behavioral', { review_frequency_days: 30 });
    await createSegment(h, 'OPEN', 'Never reviewed', 'demographic');
    await assignSegment(h, 'C-RETAIL', { segment: 'MONTHLY', is_primary: true, effective_from: '2026-03-10' });
    await assignSegment(h, 'C-WHOLE', { segment: 'OPEN', is_primary: true, effective_from: '2026-03-10' });
  });
  afterAll(async () => h.close());

  it('lists the assignments due on a day, and nothing before they are due; it changes nothing', async () => {
    expect((await ok(h.call('GET', '/segments/review-queue'))).data).toEqual([]);
    const due = await ok(h.call('GET', '/segments/review-queue?as_of=2026-04-09'));
    expect(
      due.data.map((row: { customer: string; segment_code: string; review_date: string }) => [
        row.customer,
        row.segment_code,
        row.review_date,
      ]),
    ).toEqual([['C-RETAIL', 'MONTHLY', '2026-04-09']]);
    expect(due.hasMore).toBe(false);
    const history = await ok(h.call('GET', '/customers/C-RETAIL/segments'));
    expect(history.data.map((row: { status: string }) => row.status)).toEqual(['Active']);
  });
});
