export * from './databases.js';
export { ManualClock } from '../core/clock.js';
