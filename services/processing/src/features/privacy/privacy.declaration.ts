import { platformPersonalTables, type PersonalDataDeclaration } from '@tributary/platform/privacy';

/**
 * Processing stores no person in its own tables (bags, batches and allocations carry codes
 * and quantities); users appear only in its outbox events' metadata and in stored replies.
 */
export const personalData: PersonalDataDeclaration = {
  service: 'processing',
  tables: [...platformPersonalTables()],
};
