import { inboxMigration, outboxMigration } from './migrations.js';

export * from './migrations.js';
export * from './write.js';
export * from './feed.js';
export * from './inbox.js';
export * from './envelope.js';
export * from './routes.js';
export * from './notifier.js';

/** Include these first in every service's migration list. */
export const outboxMigrations = [outboxMigration, inboxMigration];
