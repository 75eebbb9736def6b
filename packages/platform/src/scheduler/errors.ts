import { defineErrors } from '../core/errors.js';

export const SchedulerError = defineErrors({
  JOB_NOT_FOUND: 'not_found',
  JOB_ALREADY_RUNNING: 'conflict',
});
