export * from './migration.js';
export * from './store.js';
