import { describe, expect, it } from 'vitest';
import type { Consumer } from '../../edge/consumer.js';
import { allowedRoles, authorizeTarget } from './access.js';
import { defaultRoutes } from './default-routes.js';

/**
 * Issue #13: the lot trace and recall report are read by the officers, supervisors and admins of
 * both sites (ADR 0203), on every path form; the rest of /app keeps its Seeduwa-only rules.
 */
const TRACE = ['MASTER-ADMIN', 'GRANDPASS-ADMIN', 'SEEDUWA-ADMIN', 'GRANDPASS-OFFICER', 'GRANDPASS-SUPERVISOR', 'SEEDUWA-OFFICER'];
const OTHERS = ['GRANDPASS-GATEPASS', 'GRANDPASS-DEV-MACHINE', 'TRADER-OFFICER', 'TRADER-SUPERVISOR'];
const user = (role: string): Consumer => ({ method: 'jwt', roles: [role], tier: 'basic' });

describe('traceability in the gateway role table', () => {
  it('allows GET on the trace and the recall report to exactly the trace roles, and no other method', () => {
    for (const path of ['/app/trace/T1', '/app/trace/T1/recall', `/app/trace/${encodeURIComponent('shipment:1/2')}`]) {
      expect([...allowedRoles('processing', 'GET', path)].sort()).toEqual([...TRACE].sort());
      for (const method of ['POST', 'PUT', 'DELETE']) expect(allowedRoles('processing', method, path)).toEqual([]);
    }
    expect(allowedRoles('processing', 'GET', '/app/tealine')).toEqual(['SEEDUWA-ADMIN', 'SEEDUWA-OFFICER']);
  });

  it('decides the same through /central via orders, and refuses the other roles with ROLE_ACCESS_DENIED', () => {
    for (const [service, path] of [
      ['processing', '/app/trace/T1/recall'],
      ['orders', '/central/trace/T1/recall'],
    ] as const) {
      for (const role of TRACE) expect(() => authorizeTarget(service, 'GET', path, user(role))).not.toThrow();
      for (const role of OTHERS)
        expect(() => authorizeTarget(service, 'GET', path, user(role))).toThrow(expect.objectContaining({ code: 'ROLE_ACCESS_DENIED' }));
    }
  });

  it('seeds the /app and /central routes for it', () => {
    const seeded = defaultRoutes().filter((route) => route.pathPattern.includes('/trace/'));
    expect(seeded.map((route) => [route.httpMethod, route.pathPattern, route.upstreamPath])).toEqual([
      ['GET', '/app/trace/*', '/app/trace/*'],
      ['GET', '/central/trace/*', '/app/trace/*'],
    ]);
  });
});
