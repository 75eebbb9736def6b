import type { BatchTraderStatusChangedPayload } from '@tributary/contracts';
import type { CommandContext } from '@tributary/platform/command';
import type { TraderStatus } from '../../db/schema.js';
import { apiRow } from '../../domain/values.js';
import { emit, itemAggregate, ProcessingEvents } from '../../events.js';
import { ProcessingError } from '../../errors.js';
import { runCommand, userOf, type FeatureDeps } from '../deps.js';
import { lockBatchForTrader, setBatchTraderStatus, traderBatches } from './trader.repository.js';

/**
 * Who may move a batch from which trader status to which (reference §4.2, §7.6): the Seeduwa
 * officer raises the request; a trader officer allows, blocks or elevates it; a trader
 * supervisor decides elevated ones. TRADER_PENDING is set by the QC readings, never here.
 */
const TRANSITIONS: { from: TraderStatus; to: TraderStatus; roles: string[] }[] = [
  { from: 'TRADER_PENDING', to: 'TRADER_REQUESTED', roles: ['SEEDUWA-OFFICER'] },
  { from: 'TRADER_REQUESTED', to: 'TRADER_ELEVATED', roles: ['TRADER-OFFICER'] },
  { from: 'TRADER_REQUESTED', to: 'TRADER_ALLOWED', roles: ['TRADER-OFFICER'] },
  { from: 'TRADER_REQUESTED', to: 'TRADER_BLOCKED', roles: ['TRADER-OFFICER'] },
  { from: 'TRADER_ELEVATED', to: 'TRADER_ALLOWED', roles: ['TRADER-SUPERVISOR'] },
  { from: 'TRADER_ELEVATED', to: 'TRADER_BLOCKED', roles: ['TRADER-SUPERVISOR'] },
];

export function traderTransition(from: TraderStatus | null, to: TraderStatus) {
  return TRANSITIONS.find((t) => t.from === from && t.to === to);
}

export async function listTraderBatches(deps: FeatureDeps, traderStatus: TraderStatus) {
  return (await traderBatches(deps.db, traderStatus)).map(apiRow);
}

export async function setTraderStatus(
  deps: FeatureDeps,
  actor: CommandContext,
  roles: readonly string[],
  body: { item_code: string; created_ts: number | string; trader_status: TraderStatus },
) {
  const createdTs = String(body.created_ts);
  const result = await runCommand(deps, actor, async (trx) => {
    const batch = await lockBatchForTrader(trx, body.item_code, createdTs);
    if (!batch) throw ProcessingError.BATCH_NOT_FOUND(`blendsheet batch ${body.item_code}/${createdTs} does not exist`);
    const transition = traderTransition(batch.trader_status, body.trader_status);
    if (!transition) {
      throw ProcessingError.TRADER_TRANSITION_INVALID(
        `trader status may not move from ${batch.trader_status ?? 'none'} to ${body.trader_status}`,
        {
          details: { from: batch.trader_status, to: body.trader_status },
        },
      );
    }
    if (!transition.roles.some((role) => roles.includes(role))) {
      throw ProcessingError.TRADER_ROLE_FORBIDDEN(`${transition.from} → ${transition.to} needs the role ${transition.roles.join(' or ')}`, {
        details: { required: transition.roles },
      });
    }
    await setBatchTraderStatus(trx, body.item_code, createdTs, body.trader_status);
    await emit(trx, [
      {
        ...itemAggregate('batch', body.item_code, createdTs),
        type: ProcessingEvents.traderStatusChanged,
        payload: {
          item_code: body.item_code,
          created_ts: Number(createdTs),
          blendsheet_no: batch.blendsheet_no,
          blend_code: batch.blend_code,
          from: batch.trader_status,
          to: body.trader_status,
          actor: userOf(actor),
        } satisfies BatchTraderStatusChangedPayload,
      },
    ]);
    return { item_code: body.item_code, created_ts: Number(createdTs), trader_status: body.trader_status };
  });
  return result;
}
