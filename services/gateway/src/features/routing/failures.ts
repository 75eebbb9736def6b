import { classifyUpstreamOutcome, type UpstreamOutcome } from '@tributary/platform/resilience';

/**
 * Which upstream outcomes count against the breaker and the target's health: the kernel's one
 * classification (ADR 0005). Only the upstream being unreachable or overloaded does — a
 * connection error, a timeout, or 502/503/504. Any other answer, 4xx and 500 included, is the
 * upstream working and answering one request badly; counting those would let one client's bad
 * requests (five `%00` queries) open the breaker for every user of the service.
 */
export function isUpstreamFailure(outcome: UpstreamOutcome): boolean {
  return classifyUpstreamOutcome(outcome) === 'failure';
}
