/**
 * The Harsha originals' known data faults, each declared once with what the import does about
 * it: `fixed` (a documented rule changes the value, the original is kept in the import log),
 * `quarantined` (the row is held back in the import log, nothing written for it) or `refused`
 * (Tributary's schema would refuse the row; held back the same way, named for what forbids it).
 */
export type Decision = 'fixed' | 'quarantined' | 'refused';

export const HARSHA_FAULTS = {
  COLUMN_SET_DOCTYPE: { decision: 'fixed', rule: 'the table has the Frappe doctype column set; columns mapped by name onto the spec set' },
  COLUMN_SET_KNEX: { decision: 'fixed', rule: 'the table has the gateway knex column set; columns mapped by name onto the spec set' },
  MISSING_PARENT: { decision: 'quarantined', rule: 'the row points at a parent the original does not have' },
  PARENT_HELD_BACK: { decision: 'quarantined', rule: 'the row belongs to a parent the import held back' },
  VALUE_TOO_LONG: { decision: 'refused', rule: 'an identifier longer than the target column; identifiers are kept, never cut' },
  REQUIRED_VALUE_MISSING: {
    decision: 'fixed',
    rule: 'a field Tributary requires is empty: taken from the field the original meant (named in the detail)',
  },
  MOVEMENT_CHAIN_BROKEN: { decision: 'fixed', rule: 'qty_before/qty_after recomputed from the running balance of the changes' },
  MOVEMENT_TYPE_UNKNOWN: { decision: 'quarantined', rule: 'a movement type outside IN/OUT/TRANSFER/ADJUSTMENT cannot be booked' },
  BATCH_WITHOUT_RECEIPT: {
    decision: 'fixed',
    rule: "an opening RECEIPT of the batch's total quantity, the stock the original never booked in",
  },
  BATCH_BALANCE_MISMATCH: {
    decision: 'fixed',
    rule: "an ADJUSTMENT movement brings the ledger to the batch's recorded available quantity",
  },
  NEGATIVE_STOCK: { decision: 'refused', rule: 'a balance below zero breaks the ledger CHECK (available_qty >= 0)' },
  RECOVERY_TIMEOUT_UNIT: {
    decision: 'fixed',
    rule: 'below 1000 read as seconds (schema), from 1000 as milliseconds (admin API); stored in ms',
  },
  ROUTE_LIMIT_OUT_OF_RANGE: { decision: 'fixed', rule: "clamped into the gateway's range (timeout 1–300 s, retries 0–5)" },
  ROUTE_DUPLICATE_ACTIVE: { decision: 'fixed', rule: 'one active route per path and method: the later one is imported inactive' },
  PASSWORD_RESET_REQUIRED: {
    decision: 'fixed',
    rule: 'the hash is not argon2 (the gateway login cannot verify it): the user must reset the password',
  },
  TWO_FACTOR_REENROL: {
    decision: 'fixed',
    rule: 'the TOTP secret is not carried in the clear: the user is imported locked until re-enrolled',
  },
  API_KEY_ROTATE: { decision: 'fixed', rule: 'bcrypt-hashed hd_ keys cannot be verified by the gateway: imported inactive, to be rotated' },
  CONFIG_NAME_TAKEN: {
    decision: 'quarantined',
    rule: "Tributary already has a configuration of that name (its defaults include the original's seeds): Tributary's is kept",
  },
  VALUE_OUT_OF_DOMAIN: { decision: 'fixed', rule: "a value outside the target's CHECK replaced by the documented default" },
} as const satisfies Record<string, { decision: Decision; rule: string }>;

export type HarshaFault = keyof typeof HARSHA_FAULTS;

export interface FaultEntry {
  sourceTable: string;
  sourceKey: string;
  fault: HarshaFault;
  decision: Decision;
  /** What was found and what was done, plus the original row (secrets removed). */
  detail: Record<string, unknown>;
}

export function fault(sourceTable: string, sourceKey: string, code: HarshaFault, detail: Record<string, unknown>): FaultEntry {
  return {
    sourceTable,
    sourceKey,
    fault: code,
    decision: HARSHA_FAULTS[code].decision,
    detail: { rule: HARSHA_FAULTS[code].rule, ...detail },
  };
}

/** Columns that never leave the source: password and key hashes, salts, TOTP secrets. */
const SECRET_COLUMNS = new Set(['password_hash', 'salt', 'two_factor_secret', 'api_key_hash']);

export function withoutSecrets(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([column]) => !SECRET_COLUMNS.has(column)));
}
