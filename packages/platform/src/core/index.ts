export * from './errors.js';
export * from './ids.js';
export * from './clock.js';
export * from './logger.js';
export * from './config.js';
export * from './decimal.js';
export * from './secrets.js';
export * from './paging.js';
