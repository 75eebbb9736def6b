import { AppError } from '../core/errors.js';

/** Stable codes of the field-encryption module. */
export const CryptoError = {
  /** A stored value is not in the `enc:v1:<keyId>:<data>` format. */
  Malformed: 'FIELD_CIPHERTEXT_MALFORMED',
  /** Authentication failed: tampered, wrong key, or copied from another column. */
  Unauthentic: 'FIELD_CIPHERTEXT_UNAUTHENTIC',
  /** The value names a data key this database does not hold. */
  UnknownKey: 'FIELD_KEY_UNKNOWN',
  /** A wrapped data key names a master key that is not configured. */
  MasterKeyMissing: 'FIELD_MASTER_KEY_MISSING',
  /** The master key file is missing, unreadable or malformed. */
  MasterKeysInvalid: 'FIELD_MASTER_KEYS_INVALID',
} as const;

/**
 * Every failure is `internal` (500): a value that does not decrypt is a fault of the stored
 * data or the key configuration, never of the client's request. Messages never carry key
 * material or plaintext.
 */
export function cryptoFailure(code: string, message: string, cause?: unknown): AppError {
  return new AppError('internal', code, message, cause === undefined ? {} : { cause });
}
