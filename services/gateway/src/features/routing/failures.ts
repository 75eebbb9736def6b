/**
 * Which upstream outcomes count against the breaker and the target's health. Only the
 * upstream being unreachable or overloaded does: a connection error, a timeout, or 502/503/504.
 * Any other answer, 4xx and 500 included, is the upstream working and answering one request
 * badly; counting those would let one client's bad requests (five `%00` queries) open the
 * breaker for every user of the service.
 *
 * Kept as the one place the gateway decides this, so it can defer to the kernel's
 * classifier once `@tributary/platform/resilience` exports one.
 */
const OVERLOADED = new Set([502, 503, 504]);

export function isUpstreamFailure(outcome: { status: number } | { error: unknown }): boolean {
  return 'error' in outcome ? true : OVERLOADED.has(outcome.status);
}
