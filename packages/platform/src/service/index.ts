export * from './definition.js';
export * from './keys.js';
export * from './start.js';
export * from './main.js';
export * from './edge-config.js';
export * from './startup-checks.js';
