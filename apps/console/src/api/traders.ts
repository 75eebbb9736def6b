import { queryOptions } from '@tanstack/react-query';
import type { TraderStatus } from '../config/trader';
import { api, callApi } from '../lib/api';
import { useRefreshingMutation } from '../lib/mutation';
import { ApiError } from '../lib/api-error';
import { numberOf, textOf, type OpenRow } from '../lib/open-row';

/** A blend batch under trader review, as the queue shows it. */
export interface TraderBatch {
  item_code: string;
  /** Epoch ms: with item_code, the batch's key. */
  created_ts: number;
  blendsheet_no: string;
  blend_code: string;
  remarks: string;
  humidity: string;
  density: string;
  trader_status: string;
}

function traderBatch(row: OpenRow): TraderBatch {
  return {
    item_code: textOf(row, 'item_code'),
    created_ts: numberOf(row, 'created_ts'),
    blendsheet_no: textOf(row, 'blendsheet_no'),
    blend_code: textOf(row, 'blend_code'),
    remarks: textOf(row, 'remarks'),
    humidity: textOf(row, 'humidity'),
    density: textOf(row, 'density'),
    trader_status: textOf(row, 'trader_status'),
  };
}

export const traderKeys = {
  all: ['processing', 'trader'] as const,
  list: (status: TraderStatus) => [...traderKeys.all, 'list', { status }] as const,
};

export const traderBatchesQuery = (status: TraderStatus) =>
  queryOptions({
    queryKey: traderKeys.list(status),
    queryFn: async ({ signal }) =>
      (
        await callApi(api.GET('/api/v1/processing/app/trader/blendsheet/batch', { params: { query: { trader_status: status } }, signal }))
      ).map(traderBatch),
  });

export interface TraderChange {
  item_code: string;
  created_ts: number;
  trader_status: TraderStatus;
}

/**
 * The traders decide on processing directly. The Seeduwa officer's request goes through the
 * orders service's POST /trader, the original's way in for it (the gateway gives that group no
 * PUT on processing's trader paths); it answers per element, so a refused element is thrown.
 */
async function changeTraderStatus(change: TraderChange): Promise<void> {
  if (change.trader_status !== 'TRADER_REQUESTED') {
    await callApi(api.PUT('/api/v1/processing/app/trader/blendsheet/batch', { body: change }));
    return;
  }
  const results: OpenRow[] = await callApi(api.POST('/trader', { body: [change] }));
  const refused = results.map((result) => result.error).find((error): error is OpenRow => typeof error === 'object' && error !== null);
  if (refused)
    throw new ApiError(
      numberOf(refused, 'status'),
      textOf(refused, 'code'),
      textOf(refused, 'message') || 'The request was refused',
      undefined,
    );
}

export const useChangeTraderStatus = () => useRefreshingMutation(traderKeys.all, changeTraderStatus);
