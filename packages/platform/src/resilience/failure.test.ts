import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import { classifyUpstreamOutcome, isTransportFailure } from './failure.js';

describe('classifyUpstreamOutcome', () => {
  it('counts only 502, 503 and 504 answers against the upstream', () => {
    for (const status of [502, 503, 504]) expect(classifyUpstreamOutcome({ status })).toBe('failure');
    for (const status of [200, 201, 204, 301, 400, 401, 403, 404, 409, 413, 422, 429, 500, 501]) {
      expect(classifyUpstreamOutcome({ status })).toBe('success');
    }
  });

  it('counts connection failures and timeouts, also when wrapped', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(classifyUpstreamOutcome({ error: refused })).toBe('failure');
    expect(classifyUpstreamOutcome({ error: new Error('fetch failed', { cause: refused }) })).toBe('failure');
    expect(classifyUpstreamOutcome({ error: new AppError('timeout', 'UPSTREAM_TIMEOUT', 'slow') })).toBe('failure');
    expect(classifyUpstreamOutcome({ error: Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }) })).toBe('failure');
  });

  it("is neutral about faults on the caller side and the caller's own cancellation", () => {
    expect(classifyUpstreamOutcome({ error: Object.assign(new Error('bad header'), { code: 'UND_ERR_INVALID_ARG' }) })).toBe('neutral');
    expect(classifyUpstreamOutcome({ error: new DOMException('aborted', 'AbortError') })).toBe('neutral');
    expect(isTransportFailure(undefined)).toBe(false);
  });
});
