import ipaddr from 'ipaddr.js';
import { GatewayError } from '../../errors.js';

const SCOPE = /^(\*|[a-z][a-z0-9_-]{0,49}:(\*|[a-z][a-z0-9_-]{0,49}))$/;

export function validateScopes(scopes: string[]): string[] {
  for (const scope of scopes) {
    if (!SCOPE.test(scope)) throw GatewayError.INVALID_SCOPE(`Scope "${scope}" must be "*", "resource:*" or "resource:action"`);
  }
  return [...new Set(scopes)];
}

/** `*` grants everything; `resource:*` grants every action on the resource; otherwise exact. */
export function scopeAllows(granted: readonly string[], required: string): boolean {
  const [resource] = required.split(':');
  return granted.some((scope) => scope === '*' || scope === required || scope === `${resource}:*`);
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses "10.0.0.0/8", "2001:db8::/32" or a single address; refuses anything else. */
export function parseAllowlist(entries: string[]): Range[] {
  return entries.map((entry) => {
    try {
      if (entry.includes('/')) return ipaddr.parseCIDR(entry) as Range;
      const address = ipaddr.parse(entry);
      return [address, address.kind() === 'ipv4' ? 32 : 128] as Range;
    } catch {
      throw GatewayError.INVALID_IP_ALLOWLIST(`"${entry}" is not an IP address or CIDR range`);
    }
  });
}

/** IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) are compared as the IPv4 address they carry. */
export function ipAllowed(ip: string, ranges: Range[]): boolean {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.process(ip);
  } catch {
    return false;
  }
  return ranges.some(([range, bits]) => address.kind() === range.kind() && address.match([range, bits] as never));
}
