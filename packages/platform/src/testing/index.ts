export * from './databases.js';
export * from './bed.js';
export * from './context.js';
export * from './signed.js';
export { ManualClock } from '../core/clock.js';
export * from './tls.js';
export * from './ports.js';
export * from './openapi.js';
export * from './context.js';
