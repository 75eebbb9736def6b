export * from './metadata.js';
export * from './context.js';
export * from './run.js';
