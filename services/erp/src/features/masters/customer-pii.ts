import { Type } from '@sinclair/typebox';
import type { EncryptedTable, FieldCipher } from '@tributary/platform/crypto';
import { Nullable } from '../../shared/schemas.js';

/**
 * The customer's personal data (ERPNext's contact fields), stored encrypted at rest and
 * served in plaintext. `customer_name` stays in clear: it is also the document name (the
 * primary key, foreign key of segments, territories and pricing), the list order and the `q`
 * search, so encrypting the title would leave the same string in clear in `name` (ADR 0305).
 */
export const CUSTOMER_TABLE = 'tabCustomer';
export const PII_FIELDS = ['email_id', 'mobile_no', 'primary_address', 'tax_id'] as const;
export type PiiField = (typeof PII_FIELDS)[number];

/** What the re-encryption pass and the key rotation command walk. */
export const ERP_ENCRYPTED_TABLES: readonly EncryptedTable[] = [
  {
    table: CUSTOMER_TABLE,
    key: 'name',
    columns: PII_FIELDS.map((name) => (name === 'email_id' ? { name, blindIndex: 'email_id_bidx' } : { name })),
  },
];

export const PiiSchemas = {
  email_id: Type.Optional(
    Nullable(Type.String({ minLength: 3, maxLength: 140, pattern: '^[^@\\s]+@[^@\\s]+$', description: 'stored encrypted' })),
  ),
  mobile_no: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 40, description: 'stored encrypted' }))),
  primary_address: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 1000, description: 'stored encrypted' }))),
  tax_id: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 140, description: 'stored encrypted' }))),
};

const ref = (column: string) => ({ table: CUSTOMER_TABLE, column });

/**
 * Replaces the plaintext personal fields of a create/patch body by their ciphertexts (and the
 * email's blind index). Runs before the write's transaction: the cipher may read its keys, and
 * PGlite has one connection.
 */
export async function sealCustomer(cipher: FieldCipher, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const sealed = { ...body };
  for (const field of PII_FIELDS) {
    if (!(field in body)) continue;
    const value = body[field] as string | null;
    sealed[field] = await cipher.encryptNullable(value, ref(field));
    if (field === 'email_id') sealed.email_id_bidx = value === null ? null : await cipher.blindIndex(value, ref(field));
  }
  return sealed;
}

/** The row with its personal fields decrypted (and the blind index dropped). */
export async function openCustomer(cipher: FieldCipher, row: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { email_id_bidx: _index, ...opened } = row;
  for (const field of PII_FIELDS) opened[field] = await cipher.decryptNullable(row[field] as string | null | undefined, ref(field));
  return opened;
}

export function emailIndex(cipher: FieldCipher, email: string): Promise<string> {
  return cipher.blindIndex(email, ref('email_id'));
}

/** Events go to peers and sit in the outbox table: they carry which personal fields changed, never the values. */
export function withoutPii(out: Record<string, unknown>, changed: readonly string[]): Record<string, unknown> {
  const copy = { ...out };
  for (const field of PII_FIELDS) delete copy[field];
  const touched = PII_FIELDS.filter((field) => changed.includes(field));
  if (touched.length > 0) copy.pii_changed = touched;
  return copy;
}
