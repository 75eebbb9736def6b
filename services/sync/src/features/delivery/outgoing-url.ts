import { isIP } from 'node:net';

/**
 * What is wrong with a URL sync is asked to POST to, or undefined when it may be used: https,
 * except to this machine (plain http would carry signed business data across a network), and
 * no credentials in it (they would end up in logs and listings).
 */
export function outgoingUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL';
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    return 'must use https (http is accepted only for a loopback address)';
  if (url.username || url.password) return 'must not carry credentials';
  return undefined;
}
