import type { ErpEventType } from '@tributary/contracts';
import type { AnyKysely } from '@tributary/platform/db';
import { emit, type Actor } from '../../shared/context.js';

/** An event on a customer's record (segments, territories, metrics): the customer is its aggregate. */
export async function emitCustomerEvent(
  trx: AnyKysely,
  type: ErpEventType,
  customer: string,
  payload: unknown,
  actor: Actor,
  now: number,
): Promise<void> {
  await emit(trx, { type, aggregateType: 'customer', aggregateId: customer, payload }, actor, now);
}
