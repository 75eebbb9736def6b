import { GROUP_NAMES, SUPER_ROLE } from '../../config/access';

const ALL_ROLES = [SUPER_ROLE, ...Object.keys(GROUP_NAMES)];

/**
 * The roles offered when creating a user or changing a role. The gateway's role order lets
 * the platform administrator grant every role, and these pages are the administrator's alone;
 * anyone else is offered none. The gateway checks the order on every change all the same, and
 * a refusal it gives is shown at the role field.
 */
export function grantableBy(role: string | undefined): string[] {
  return role === SUPER_ROLE ? ALL_ROLES : [];
}
