import type { ConflictStatus, DeliveryState } from '../../api/sync';

/** The delivery states in the words of the people who watch the queue. */
export const STATE_WORDS: Record<DeliveryState, string> = {
  pending: 'Waiting',
  in_progress: 'Being delivered',
  completed: 'Delivered',
  failed: 'Dead letter',
  conflict: 'Waiting for a decision',
  skipped: 'Let go',
};

export const stateWord = (state: string) => STATE_WORDS[state as DeliveryState] ?? state;

export const CONFLICT_WORDS: Record<ConflictStatus, string> = {
  pending: 'Open',
  escalated: 'Escalated',
  resolved: 'Resolved',
  ignored: 'Closed without delivering',
};

export const conflictWord = (status: string) => CONFLICT_WORDS[status as ConflictStatus] ?? status;
