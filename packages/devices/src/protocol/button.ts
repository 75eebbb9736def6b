import { createLineSplitter } from './lines.js';

/** What the button box asks for: accept the weighed bag, or count a dispatched one. */
export type ButtonAction = 'BAG_ACCEPT' | 'BAG_DISPATCH';

export interface ButtonParser {
  /** `atMs` is when the chunk arrived; it only decides whether ADD_BAG tokens belong to one press. */
  push(chunk: Buffer | string, atMs: number): ButtonAction[];
  /** Tokens that were not part of the protocol. */
  rejected(): number;
}

/** The box repeats ADD_BAG five times per press (§7.2 `(ADD_BAG\s+){5}`), so one glitch cannot accept a bag. */
export const ADD_BAG_REPEATS = 5;
/** Tokens further apart than this start a new press: a broken run never completes the next one. */
export const DEFAULT_PRESS_GAP_MS = 1_000;

export interface ButtonParserOptions {
  pressGapMs?: number;
}

export function createButtonParser(options: ButtonParserOptions = {}): ButtonParser {
  const gap = options.pressGapMs ?? DEFAULT_PRESS_GAP_MS;
  const tokens = createLineSplitter({ ends: /\s+/, maxLength: 64 });
  let run = 0;
  let lastAt = Number.NEGATIVE_INFINITY;
  let refused = 0;
  return {
    push(chunk, atMs) {
      const actions: ButtonAction[] = [];
      if (atMs - lastAt > gap) run = 0;
      lastAt = atMs;
      for (const token of tokens.push(chunk)) {
        if (token === 'ADD_BAG') {
          run += 1;
          if (run === ADD_BAG_REPEATS) {
            actions.push('BAG_ACCEPT');
            run = 0;
          }
        } else if (token === 'BAG_ADDED') {
          run = 0;
          actions.push('BAG_DISPATCH');
        } else {
          run = 0;
          refused += 1;
        }
      }
      return actions;
    },
    rejected: () => refused,
  };
}

/** The LED feedback line the box understands (§7.2): green for a bag taken, red for a refusal. */
export function buttonReply(ok: boolean): string {
  return ok ? 'BAG_OK\r\n' : 'BAG_NOT_OK\r\n';
}
