import { platformPersonalTables, type PersonalDataDeclaration } from '@tributary/platform/privacy';

/**
 * Processing's own tables carry codes and quantities, not people, with one exception: the user
 * who started a reconciliation report by hand (the report stays, the person becomes a
 * pseudonym). Otherwise users appear only in its outbox events' metadata and in stored replies.
 */
export const personalData: PersonalDataDeclaration = {
  service: 'processing',
  tables: [{ table: 'reconciliation_report', actors: [{ name: 'requested_by' }] }, ...platformPersonalTables()],
};
