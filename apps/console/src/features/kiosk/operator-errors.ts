import { ApiError } from '../../lib/api-error';

/**
 * What the floor is told when the server refuses: one sentence in the operator's words per
 * stable code, here and nowhere else, so the same refusal reads the same on every kiosk page
 * and is spoken the same. The code stays visible in small print for a support call.
 */
const SENTENCES: Record<string, string> = {
  TEALINE_BAG_LIMIT_REACHED: 'This lot already has all its bags. Pick another lot.',
  BLENDBALANCE_WEIGHT_EXCEEDED: 'This blend balance is already complete.',
  LOCATION_HERBLINE_ONLY: 'That store location is for herbal bags only. Pick another location.',
  LOCATION_NOT_HERBLINE_SECTION: 'Herbal bags go to a herbal section only. Pick another location.',
  LOCATION_NOT_FOUND: 'That store location does not exist any more. Pick another location.',
  LOT_NOT_FOUND: 'This lot does not exist any more. Pick another lot.',
  WEIGHT_INVALID: 'The weight is not right: the bag weight must be below the gross weight.',
  RECORD_NOT_FOUND: 'No such bag. Scan the label again.',
  RECORD_DISPATCHED: 'This bag has already left Seeduwa.',
  RECORD_NOT_ELIGIBLE: 'This bag is used up: all of it went into earlier batches or shipments.',
  ALLOCATION_EXCEEDS_AVAILABLE: 'Not that much left in this bag.',
  BATCH_NOT_FOUND: 'This batch does not exist any more. Start a new batch.',
  BATCH_COMPLETED: 'This batch is finished. Start a new batch.',
  BATCH_QC_LOCKED: 'The quality values of this batch are already with the traders.',
  BLENDSHEET_BATCH_LIMIT_REACHED: 'This blendsheet has all its batches. Pick another blendsheet.',
  BLENDSHEET_NOT_FOUND: 'This blendsheet does not exist any more.',
  BATCH_TRADER_BLOCKED: 'A trader blocked the batch of this bag. It cannot be shipped.',
  BATCH_NOT_TRADER_ALLOWED: 'The batch of this bag is not approved by a trader yet. It cannot be shipped.',
  SHIPMENT_NOT_DISPATCHABLE: 'This shipment cannot be dispatched any more. Pick it again from the list.',
  SHIPMENT_NOT_FOUND: 'This shipment does not exist any more.',
  DISPATCH_EXCEEDS_SHIPMENT: 'The cart holds more than the shipment needs. Remove a bag.',
  DISPATCH_IN_PROGRESS: 'This cart is being dispatched already. Wait a moment.',
  DISPATCH_FAILED: 'The dispatch did not go through and was undone. Try again.',
  UPSTREAM_UNAVAILABLE: 'The orders office cannot be reached. Try again in a minute.',
  REQUEST_VALIDATION_FAILED: 'Check the numbers you entered.',
};

export interface OperatorMessage {
  sentence: string;
  /** The server's code and request id, for a support call; absent for local refusals. */
  code?: string;
}

export function operatorMessage(error: unknown): OperatorMessage {
  if (error instanceof ApiError) {
    const code = error.requestId ? `${error.code}, request ${error.requestId}` : error.code;
    if (error.status === 401 || error.status === 403) return { sentence: 'You may not do this. Ask the Seeduwa administrator.', code };
    const known = SENTENCES[error.code];
    if (known) return { sentence: known, code };
    if (error.status >= 500) return { sentence: 'The server is not answering. Try again in a minute.', code };
    return { sentence: 'The server refused this. Ask the Seeduwa administrator.', code };
  }
  if (error instanceof TypeError) return { sentence: 'The server cannot be reached. Check the network cable.' };
  return { sentence: error instanceof Error ? error.message : 'Something went wrong.' };
}

/** The sentence for a code the page itself found (e.g. a trader status seen on a scan). */
export function sentenceFor(code: string): string {
  return SENTENCES[code] ?? code;
}

/** A scanned bag's status that stops it feeding a batch or a shipment, said as the floor says it. */
export function unusableBagSentence(status: string): string | null {
  if (status === 'DISPATCHED') return SENTENCES.RECORD_DISPATCHED!;
  if (status === 'PROCESSED') return SENTENCES.RECORD_NOT_ELIGIBLE!;
  return null;
}

export function unknownCodeSentence(code: string): string {
  return `"${code}" is not a bag label. Scan the QR code on the bag's label.`;
}
