/**
 * The ten MTP groups (the original's Cognito groups; one per user). Orders and processing guard
 * their routes and statuses by them, the gateway uses them as its default role policy.
 */
export const MTP_GROUPS = [
  'MASTER-ADMIN',
  'GRANDPASS-ADMIN',
  'SEEDUWA-ADMIN',
  'GRANDPASS-OFFICER',
  'GRANDPASS-SUPERVISOR',
  'SEEDUWA-OFFICER',
  'GRANDPASS-GATEPASS',
  'GRANDPASS-DEV-MACHINE',
  'TRADER-OFFICER',
  'TRADER-SUPERVISOR',
] as const;
export type MtpGroup = (typeof MTP_GROUPS)[number];
