import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { AuthErrorCode } from './codes.js';
import { IDENTITY_HEADERS, identityHeaders, readIdentity } from './identity.js';

describe('identity headers', () => {
  it('round-trip user, roles and API key id', () => {
    const headers = identityHeaders({ user: 'alice', roles: ['planner', 'qa'], apiKeyId: 'key_9' });
    expect(headers).toEqual({ 'x-tributary-user': 'alice', 'x-tributary-roles': 'planner,qa', 'x-tributary-key-id': 'key_9' });
    expect(readIdentity(headers, 'svc:orders')).toEqual({
      principal: 'svc:orders',
      user: 'alice',
      roles: ['planner', 'qa'],
      apiKeyId: 'key_9',
    });
  });

  it('encode values that are not plain ASCII or that contain the role separator', () => {
    const identity = { user: 'Zoë Müller', roles: ['line lead', 'a,b'] };
    const headers = identityHeaders(identity);
    for (const value of Object.values(headers)) expect(value).toMatch(/^[\x21-\x7e]*$/);
    expect(readIdentity(headers, 'svc:erp')).toEqual({ principal: 'svc:erp', ...identity });
  });

  it('leave out what is absent and read nothing as no roles', () => {
    expect(identityHeaders({ roles: [] })).toEqual({});
    expect(readIdentity({}, 'svc:sync')).toEqual({ principal: 'svc:sync', roles: [] });
  });

  it('tolerate spaces and repeats in the roles header', () => {
    const identity = readIdentity({ [IDENTITY_HEADERS.roles]: ['planner, qa', 'qa,,admin'] }, 'svc:orders');
    expect(identity.roles).toEqual(['planner', 'qa', 'admin']);
  });

  it.each([
    ['a repeated user header (folded by Node)', { 'x-tributary-user': 'alice, bob' }],
    ['a repeated user header (as a list)', { 'x-tributary-user': ['alice', 'bob'] }],
    ['broken percent-encoding', { 'x-tributary-user': 'alice%E0' }],
    ['broken percent-encoding in roles', { 'x-tributary-roles': 'qa,%zz' }],
  ])('refuse %s', (_label, headers) => {
    let thrown: unknown;
    try {
      readIdentity(headers, 'svc:orders');
    } catch (error) {
      thrown = error;
    }
    expect(isAppError(thrown) && thrown.code).toBe(AuthErrorCode.IdentityMalformed);
  });
});
