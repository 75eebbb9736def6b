import { ACTIONS, can, type Action } from './access';

export type TraderStatus = 'TRADER_PENDING' | 'TRADER_REQUESTED' | 'TRADER_ELEVATED' | 'TRADER_ALLOWED' | 'TRADER_BLOCKED';

export const TRADER_STATUSES: readonly TraderStatus[] = [
  'TRADER_PENDING',
  'TRADER_REQUESTED',
  'TRADER_ELEVATED',
  'TRADER_ALLOWED',
  'TRADER_BLOCKED',
];

/** The traders' own words for the states of a batch's review. */
const LABELS: Record<TraderStatus, string> = {
  TRADER_PENDING: 'Quality checked, not yet sent to traders',
  TRADER_REQUESTED: 'Waiting for a trader',
  TRADER_ELEVATED: 'Sent to the trader supervisor',
  TRADER_ALLOWED: 'Allowed',
  TRADER_BLOCKED: 'Blocked',
};

export function traderStatusLabel(status: string): string {
  return LABELS[status as TraderStatus] ?? status;
}

export interface TraderMove {
  from: TraderStatus;
  to: TraderStatus;
  /** The button's words. */
  verb: string;
  needs: Action;
}

/**
 * Who may move a batch from which state to which (reference §4.2, §7.6), as processing
 * enforces it: the Seeduwa officer asks; a trader allows, blocks or sends it up; the trader
 * supervisor decides what was sent up. Allowed and blocked are final.
 */
export const TRADER_MOVES: readonly TraderMove[] = [
  { from: 'TRADER_PENDING', to: 'TRADER_REQUESTED', verb: 'Ask traders', needs: 'traders.request' },
  { from: 'TRADER_REQUESTED', to: 'TRADER_ALLOWED', verb: 'Allow', needs: 'traders.decide' },
  { from: 'TRADER_REQUESTED', to: 'TRADER_BLOCKED', verb: 'Block', needs: 'traders.decide' },
  { from: 'TRADER_REQUESTED', to: 'TRADER_ELEVATED', verb: 'Send to supervisor', needs: 'traders.decide' },
  { from: 'TRADER_ELEVATED', to: 'TRADER_ALLOWED', verb: 'Allow', needs: 'traders.decideElevated' },
  { from: 'TRADER_ELEVATED', to: 'TRADER_BLOCKED', verb: 'Block', needs: 'traders.decideElevated' },
];

/**
 * Processing decides a move by the trader groups themselves and lets no other role stand in for
 * them (not even the platform administrator), so the buttons follow the groups exactly.
 */
export function movesFor(role: string | undefined, from: string): TraderMove[] {
  return TRADER_MOVES.filter((move) => move.from === from && (ACTIONS[move.needs] as readonly string[]).includes(role ?? ''));
}

/** The state a group works on first: the one holding the batches waiting for it. */
export function firstQueueOf(role: string | undefined): TraderStatus {
  if (can(role, 'traders.decide')) return 'TRADER_REQUESTED';
  if (can(role, 'traders.decideElevated')) return 'TRADER_ELEVATED';
  return 'TRADER_PENDING';
}
