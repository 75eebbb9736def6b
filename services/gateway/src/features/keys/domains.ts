import { GatewayError } from '../../errors.js';

const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * An API key's domain allowlist: each entry is an origin (`https://shop.example:8443`), a host
 * (`shop.example`) or every subdomain of one (`*.example.com`). Stored normalised (lower case,
 * origins without a path) so matching is plain comparison.
 */
export function parseDomainAllowlist(entries: readonly string[]): string[] {
  return entries.map((entry) => {
    const value = entry.trim().toLowerCase();
    if (value.includes('://')) {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw GatewayError.INVALID_DOMAIN_ALLOWLIST(`"${entry}" is not an origin, host or *.host`);
      }
      if (!['http:', 'https:'].includes(url.protocol) || url.pathname !== '/' || url.search || url.hash || url.username)
        throw GatewayError.INVALID_DOMAIN_ALLOWLIST(`"${entry}" must be a bare origin such as https://shop.example`);
      return url.origin;
    }
    if (!HOST.test(value)) throw GatewayError.INVALID_DOMAIN_ALLOWLIST(`"${entry}" is not an origin, host or *.host`);
    return value;
  });
}

/**
 * Whether a request's browser origin (Origin, else Referer) is on the list. A request that
 * names no origin at all is refused: a key restricted to sites is not meant for server calls.
 */
export function domainAllowed(list: readonly string[], origin: string | undefined, referer: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(origin && origin !== 'null' ? origin : (referer ?? ''));
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase();
  return list.some((entry) => {
    if (entry.includes('://')) return entry === url.origin;
    if (entry.startsWith('*.')) return host.endsWith(entry.slice(1));
    return host === entry;
  });
}
