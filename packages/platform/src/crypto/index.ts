export * from './errors.js';
export * from './format.js';
export * from './master-keys.js';
export * from './key-table.js';
export * from './key-store.js';
export * from './field-cipher.js';
export * from './rotation.js';
