import { conflict, notFound, type AppError, type ErrorThrower } from '@tributary/platform/core';
import { dbConstraintName, dbErrorKind, inTransaction, type Kysely, type Transaction } from '@tributary/platform/db';
import { ProcessingError } from '../errors.js';

interface PgError {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
}

/** Unique keys whose violation means "that already exists", by constraint name. */
const DUPLICATES: Record<string, { error: ErrorThrower; message: string }> = {
  item_pkey: { error: ProcessingError.ITEM_EXISTS, message: 'An item with this code and timestamp already exists' },
  blendsheet_pkey: { error: ProcessingError.BLENDSHEET_EXISTS, message: 'This blendsheet number already exists' },
  flavorsheet_pkey: { error: ProcessingError.FLAVORSHEET_EXISTS, message: 'This flavorsheet number already exists' },
  store_location_pkey: { error: ProcessingError.LOCATION_EXISTS, message: 'This location already exists' },
  flavorsheet_batch_flavorsheet_no_key: {
    error: ProcessingError.FLAVORSHEET_BATCH_EXISTS,
    message: 'This flavorsheet already has its batch',
  },
};

/**
 * The database's own refusals become the service's AppErrors: rule functions raise TR409/TR404
 * with the stable code as message; known unique keys become "exists" conflicts. Anything else
 * stays a 500, because then the code has a bug the database caught.
 */
export function translateDbError(error: unknown): unknown {
  const e = (typeof error === 'object' && error !== null ? error : {}) as PgError;
  const detail = typeof e.detail === 'string' ? e.detail : undefined;
  if (e.code === 'TR409' && typeof e.message === 'string') return conflict(e.message, detail ?? e.message);
  if (e.code === 'TR404' && typeof e.message === 'string') return notFound(e.message, detail ?? e.message);
  const kind = dbErrorKind(error);
  const constraint = dbConstraintName(error) ?? '';
  if (kind === 'unique' && DUPLICATES[constraint]) return DUPLICATES[constraint].error(DUPLICATES[constraint].message);
  if (kind === 'foreign_key' && constraint.endsWith('_allocate_parcel_shipment_fk')) {
    return ProcessingError.ALLOCATION_HAS_PARCELS('Parcels are allocated from this shipment allocation; remove them first');
  }
  if (kind === 'check' && constraint.endsWith('_allocate_shipment_remaining_check')) {
    return ProcessingError.ALLOCATION_HAS_PARCELS('The shipment allocation cannot shrink below what was parcelled from it');
  }
  return error;
}

/** One transaction per command, retried on deadlock/serialization, with refusals translated. */
export async function transact<DB, T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(db, fn);
  } catch (error) {
    throw translateDbError(error);
  }
}

export type { AppError };
