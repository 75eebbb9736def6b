export * from './migration.js';
export * from './store.js';
export * from './plugin.js';
