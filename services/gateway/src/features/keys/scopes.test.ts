import { describe, expect, it } from 'vitest';
import { ipAllowed, parseAllowlist, scopeAllows, validateScopes } from './scopes.js';

describe('scopes', () => {
  it('grants exact, resource-wide and global scopes only', () => {
    expect(scopeAllows(['orders:read'], 'orders:read')).toBe(true);
    expect(scopeAllows(['orders:read'], 'orders:write')).toBe(false);
    expect(scopeAllows(['orders:*'], 'orders:write')).toBe(true);
    expect(scopeAllows(['orders:*'], 'erp:read')).toBe(false);
    expect(scopeAllows(['*'], 'anything:at-all')).toBe(true);
    expect(scopeAllows([], 'orders:read')).toBe(false);
  });

  it('validates scope syntax', () => {
    expect(validateScopes(['a:b', 'a:b', 'c:*', '*'])).toEqual(['a:b', 'c:*', '*']);
    for (const bad of ['a', 'a:', ':b', 'A:b', 'a:b:c', '**', 'a:*b']) expect(() => validateScopes([bad])).toThrow();
  });
});

describe('IP allowlists', () => {
  const ranges = parseAllowlist(['10.0.0.0/8', '192.0.2.1', '2001:db8::/32']);
  it('matches CIDR ranges and single addresses across families', () => {
    expect(ipAllowed('10.255.0.1', ranges)).toBe(true);
    expect(ipAllowed('11.0.0.1', ranges)).toBe(false);
    expect(ipAllowed('192.0.2.1', ranges)).toBe(true);
    expect(ipAllowed('192.0.2.2', ranges)).toBe(false);
    expect(ipAllowed('::ffff:10.1.2.3', ranges)).toBe(true);
    expect(ipAllowed('2001:db8:1::5', ranges)).toBe(true);
    expect(ipAllowed('2001:db9::5', ranges)).toBe(false);
    expect(ipAllowed('not-an-ip', ranges)).toBe(false);
  });
  it('refuses malformed entries', () => {
    for (const bad of ['10.0.0.0/33', '300.1.1.1', 'example.com', '']) expect(() => parseAllowlist([bad])).toThrow();
  });
});
