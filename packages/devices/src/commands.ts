import { Value } from '@sinclair/typebox/value';
import { bagLabelZpl } from '@tributary/contracts/labels';
import { DEFAULT_PLANT_TIME_ZONE } from '@tributary/platform/time-zone';
import { Decimal } from '@tributary/platform/core';
import { BridgeCommand, type LabelInput } from './messages.js';

export type ParsedCommand = { ok: true; command: BridgeCommand } | { ok: false; id?: string; message: string };

/** Refusals say what is wrong without echoing the whole frame back. */
const MAX_PROBLEMS = 3;

/** One WebSocket frame from the page, checked against the shared schema before anything acts on it. */
export function parseCommand(text: string): ParsedCommand {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'a command is one JSON object' };
  }
  if (Value.Check(BridgeCommand, value)) return { ok: true, command: value };
  const id =
    typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
      ? (value as { id: string }).id
      : undefined;
  const problems = [...Value.Errors(BridgeCommand, value)].slice(0, MAX_PROBLEMS).map((error) => `${error.path || '/'}: ${error.message}`);
  return { ok: false, ...(id === undefined ? {} : { id }), message: `not a bridge command (${problems.join('; ')})` };
}

/**
 * The §7.1 label of a bag the page describes. Weights are re-stated with two places and the net
 * is gross − bag in exact decimals, as the record tables compute it; a bag heavier than its gross
 * is refused rather than printed with a negative net.
 */
export function renderLabel(label: LabelInput, timeZone: string = DEFAULT_PLANT_TIME_ZONE): string {
  const gross = new Decimal(label.gross_weight);
  const bag = new Decimal(label.bag_weight);
  const net = gross.minus(bag);
  if (net.isNegative()) throw new RangeError(`bag weight ${label.bag_weight} exceeds gross weight ${label.gross_weight}`);
  return bagLabelZpl(
    {
      ...label,
      barcode: label.barcode.toLowerCase(),
      gross_weight: gross.toFixed(2),
      bag_weight: bag.toFixed(2),
      net_weight: net.toFixed(2),
    },
    timeZone,
  );
}
