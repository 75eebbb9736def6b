export * from './command.js';
export * from './format.js';
export * from './progress.js';
export * from './report.js';
export * from './run.js';
export * from './targets.js';
