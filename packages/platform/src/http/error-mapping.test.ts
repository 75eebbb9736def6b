import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import { UpstreamError } from '../resilience/upstream-error.js';
import { mapError, validationIssues } from './error-mapping.js';

function fastifyError(code: string, statusCode: number, message = 'framework says no'): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

describe('mapError', () => {
  it("keeps an upstream's status, code and message when a service rethrows it", () => {
    const mapped = mapError(new UpstreamError('erp', 502, { code: 'ERP_DOWN', message: 'erp is down' }));
    expect(mapped).toMatchObject({ status: 502, code: 'ERP_DOWN', message: 'erp is down', serverFault: true });
  });

  it('marks a 503 for an unreachable upstream as an outage, and no other 5xx', () => {
    const outage = (error: unknown) => mapError(error).upstreamOutage ?? false;
    expect(outage(new AppError('unavailable', 'UPSTREAM_UNAVAILABLE', 'erp is unreachable'))).toBe(true);
    expect(outage(new AppError('unavailable', 'UPSTREAM_CIRCUIT_OPEN', 'circuit open'))).toBe(true);
    expect(outage(new UpstreamError('erp', 503, { code: 'SERVICE_SHUTTING_DOWN', message: 'stopping' }))).toBe(true);
    expect(outage(new UpstreamError('erp', 502, { code: 'ERP_DOWN', message: 'erp is down' }))).toBe(false);
    expect(outage(new AppError('internal', 'LEDGER_INCONSISTENT', 'ledger'))).toBe(false);
    expect(outage(new Error('boom'))).toBe(false);
  });

  it("renames Fastify's request errors and keeps other FST_ codes under 500", () => {
    expect(mapError(fastifyError('FST_ERR_CTP_EMPTY_JSON_BODY', 400))).toMatchObject({ status: 400, code: 'REQUEST_BODY_EMPTY' });
    expect(mapError(fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415))).toMatchObject({
      status: 415,
      code: 'REQUEST_UNSUPPORTED_MEDIA_TYPE',
    });
    expect(mapError(fastifyError('FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'length mismatch'))).toEqual({
      status: 400,
      code: 'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
      message: 'length mismatch',
      serverFault: false,
    });
  });

  it('treats any other status-carrying error as a server fault', () => {
    // e.g. undici's throwOnError: the 404 is the upstream's, not an answer for our caller.
    expect(mapError(fastifyError('UND_ERR_RESPONSE_STATUS_CODE', 404))).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(mapError(fastifyError('FST_ERR_SOMETHING_BROKE', 500))).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(mapError('a string')).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' });
    expect(mapError(new AppError('timeout', 'UPSTREAM_TIMEOUT', 'slow')).serverFault).toBe(true);
  });
});

describe('validationIssues', () => {
  it('points at missing and unexpected properties and escapes pointer characters', () => {
    const issues = validationIssues(
      [
        {
          keyword: 'required',
          instancePath: '/lines/0',
          params: { missingProperty: 'a/b~c' },
          message: "must have required property 'a/b~c'",
        },
        {
          keyword: 'additionalProperties',
          instancePath: '',
          params: { additionalProperty: 'extra' },
          message: 'must NOT have additional properties',
        },
        { keyword: 'minimum', instancePath: '/quantity', params: { limit: 1 }, message: 'must be >= 1' },
      ],
      'body',
    );
    expect(issues).toEqual([
      { path: '/body/lines/0/a~1b~0c', message: 'is required' },
      { path: '/body/extra', message: 'is not allowed' },
      { path: '/body/quantity', message: 'must be >= 1' },
    ]);
  });
});
