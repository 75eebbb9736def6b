import { GatewayError } from '../../errors.js';
import { SUPER_ROLE } from '../routing/access.js';

/**
 * The role order, written once: each role and the roles directly below it. A role may grant,
 * and manage holders of, itself and everything below it; nothing beside or above. Roles not
 * listed (an operator's own) sit directly below `administrator` only.
 *
 * administrator
 * ├─ MASTER-ADMIN ─┬─ GRANDPASS-ADMIN ─ GRANDPASS-OFFICER, -SUPERVISOR, -GATEPASS, -DEV-MACHINE
 * │                ├─ SEEDUWA-ADMIN ─── SEEDUWA-OFFICER
 * │                └─ TRADER-SUPERVISOR ─ TRADER-OFFICER
 * ├─ manager ─ analyst         (erp)
 * └─ integration               (erp, sync: machine clients)
 */
const BELOW: Record<string, readonly string[]> = {
  [SUPER_ROLE]: ['MASTER-ADMIN', 'manager', 'integration'],
  'MASTER-ADMIN': ['GRANDPASS-ADMIN', 'SEEDUWA-ADMIN', 'TRADER-SUPERVISOR'],
  'GRANDPASS-ADMIN': ['GRANDPASS-OFFICER', 'GRANDPASS-SUPERVISOR', 'GRANDPASS-GATEPASS', 'GRANDPASS-DEV-MACHINE'],
  'SEEDUWA-ADMIN': ['SEEDUWA-OFFICER'],
  'TRADER-SUPERVISOR': ['TRADER-OFFICER'],
  manager: ['analyst'],
};

function dominated(role: string): Set<string> {
  const seen = new Set<string>([role]);
  const queue = [role];
  while (queue.length > 0) {
    for (const below of BELOW[queue.shift()!] ?? []) {
      if (!seen.has(below)) {
        seen.add(below);
        queue.push(below);
      }
    }
  }
  return seen;
}

/** True when one of the holder's roles is `role` or above it. */
export function roleCovers(holderRoles: readonly string[], role: string): boolean {
  return holderRoles.includes(SUPER_ROLE) || holderRoles.some((held) => dominated(held).has(role));
}

/** Granting `role` (to anyone, oneself included) needs a role at or above it. */
export function assertMayGrant(actorRoles: readonly string[], role: string): void {
  if (!roleCovers(actorRoles, role)) {
    throw GatewayError.ROLE_ESCALATION_DENIED(`Your role may not grant the role ${role}`, { details: { role } });
  }
}

/**
 * Changing a user, or credentials that act as that user, needs a role at or above the
 * user's: otherwise a lower admin could deactivate the administrator or mint a key that
 * acts as it.
 */
export function assertMayManage(actorRoles: readonly string[], target: { role: string } | undefined, what: string): void {
  if (!target) throw GatewayError.USER_NOT_FOUND(`No ${what}`);
  if (!roleCovers(actorRoles, target.role)) {
    throw GatewayError.ROLE_ESCALATION_DENIED(`Your role may not manage a ${target.role} ${what}`, { details: { role: target.role } });
  }
}
