/**
 * What each MTP group may do in the console (reference roles table): it decides which pages and
 * buttons are shown. The gateway and the services enforce the same table on every call, so
 * this is about not offering what would be refused, never about security.
 */
export type Group =
  | 'MASTER-ADMIN'
  | 'GRANDPASS-ADMIN'
  | 'SEEDUWA-ADMIN'
  | 'GRANDPASS-OFFICER'
  | 'GRANDPASS-SUPERVISOR'
  | 'SEEDUWA-OFFICER'
  | 'GRANDPASS-GATEPASS'
  | 'GRANDPASS-DEV-MACHINE'
  | 'TRADER-OFFICER'
  | 'TRADER-SUPERVISOR'
  | 'manager'
  | 'analyst'
  | 'integration';

/** The platform administrator passes every check, as at the gateway. */
export const SUPER_ROLE = 'administrator';

/** The users' names for their groups (shown instead of codes). */
export const GROUP_NAMES: Record<Group, string> = {
  'MASTER-ADMIN': 'Master administrator',
  'GRANDPASS-ADMIN': 'Grandpass administrator',
  'SEEDUWA-ADMIN': 'Seeduwa administrator',
  'GRANDPASS-OFFICER': 'Grandpass planning officer',
  'GRANDPASS-SUPERVISOR': 'Grandpass supervisor',
  'SEEDUWA-OFFICER': 'Seeduwa officer',
  'GRANDPASS-GATEPASS': 'Grandpass gatepass',
  'GRANDPASS-DEV-MACHINE': 'Box-filling machine',
  'TRADER-OFFICER': 'Trader',
  'TRADER-SUPERVISOR': 'Trader supervisor',
  manager: 'Business manager',
  analyst: 'Business analyst',
  integration: 'Integration client',
};

const HARSHA_GROUPS: readonly Group[] = ['manager', 'analyst', 'integration'];

/** The tea plant's office groups: every MTP group but the box-filling machine, whose screen is its schedules only. */
const OFFICE_GROUPS = (Object.keys(GROUP_NAMES) as Group[]).filter(
  (group) => group !== 'GRANDPASS-DEV-MACHINE' && !HARSHA_GROUPS.includes(group),
);

export const ACTIONS = {
  'shipments.view': ['SEEDUWA-ADMIN', 'GRANDPASS-OFFICER', 'GRANDPASS-SUPERVISOR', 'SEEDUWA-OFFICER', 'GRANDPASS-GATEPASS'],
  'shipments.ready': ['SEEDUWA-OFFICER'],
  'shipments.split': ['SEEDUWA-OFFICER'],
  'requests.view': ['GRANDPASS-OFFICER', 'GRANDPASS-SUPERVISOR'],
  'requests.create': ['GRANDPASS-OFFICER'],
  'requests.approve': ['GRANDPASS-SUPERVISOR'],
  'plans.view': ['GRANDPASS-ADMIN', 'GRANDPASS-OFFICER'],
  'plans.upload': ['GRANDPASS-ADMIN'],
  'schedules.view': ['GRANDPASS-OFFICER', 'GRANDPASS-DEV-MACHINE'],
  'schedules.create': ['GRANDPASS-OFFICER'],
  'schedules.complete': ['GRANDPASS-DEV-MACHINE'],
  'users.view': ['MASTER-ADMIN', 'GRANDPASS-ADMIN', 'SEEDUWA-ADMIN'],
  'users.manage': ['MASTER-ADMIN'],
  'traders.view': ['SEEDUWA-OFFICER', 'TRADER-OFFICER', 'TRADER-SUPERVISOR'],
  'traders.request': ['SEEDUWA-OFFICER'],
  'traders.decide': ['TRADER-OFFICER'],
  'traders.decideElevated': ['TRADER-SUPERVISOR'],
  'gatepass.view': ['GRANDPASS-GATEPASS'],
  'gatepass.accept': ['GRANDPASS-GATEPASS'],
  // The box-filling machine records parcels; Seeduwa reads them (the gateway lets it read processing).
  'parcels.view': ['GRANDPASS-DEV-MACHINE', 'SEEDUWA-ADMIN', 'SEEDUWA-OFFICER'],
  'parcels.record': ['GRANDPASS-DEV-MACHINE'],
  // Mirrors the gateway's rule for /app/trace/*: admins, officers and supervisors of both sites.
  'trace.view': ['MASTER-ADMIN', 'GRANDPASS-ADMIN', 'SEEDUWA-ADMIN', 'GRANDPASS-OFFICER', 'GRANDPASS-SUPERVISOR', 'SEEDUWA-OFFICER'],
  // The Device-Panel's work (accept, process, dispatch) runs under the floor officer's /app/* rights.
  'kiosk.use': ['SEEDUWA-OFFICER'],
  'dashboard.view': OFFICE_GROUPS,
  // The confectionery desk (gateway rules for /api/v1/erp/*): managers change, analysts read.
  'erp.view': ['manager', 'analyst'],
  'erp.manage': ['manager'],
  // Gateway administration, sync monitoring and system health belong to the platform
  // administrator alone (SUPER_ROLE passes every check), as the gateway's admin API does.
  'gateway.admin': [],
  'sync.view': [],
  'system.view': [],
} as const satisfies Record<string, readonly Group[]>;

export type Action = keyof typeof ACTIONS;

export function can(role: string | undefined, action: Action): boolean {
  if (!role) return false;
  return role === SUPER_ROLE || (ACTIONS[action] as readonly string[]).includes(role);
}

export function groupName(role: string): string {
  return role === SUPER_ROLE ? 'Platform administrator' : (GROUP_NAMES[role as Group] ?? role);
}
