export * from './events.js';
export * from './ports.js';
