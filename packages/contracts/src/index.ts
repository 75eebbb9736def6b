export * from './events.js';
export * from './ports.js';
export * from './orders.js';
