export * from './events.js';
export * from './ports.js';
export * from './orders.js';
export * from './sync.js';
export * from './erp.js';
export * from './mtp-reconcile.js';
export * from './mtp.js';
export * from './trace.js';
