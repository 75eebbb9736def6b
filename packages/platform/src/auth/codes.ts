/**
 * Stable codes for every way a signed request can be refused. Clients, dashboards and alerts
 * key on these, so they never change meaning; all of them are 401s.
 */
export const AuthErrorCode = {
  SignatureMissing: 'AUTH_SIGNATURE_MISSING',
  SignatureMalformed: 'AUTH_SIGNATURE_MALFORMED',
  UnknownAccessKey: 'AUTH_UNKNOWN_ACCESS_KEY',
  CredentialExpired: 'AUTH_CREDENTIAL_EXPIRED',
  ScopeMismatch: 'AUTH_SCOPE_MISMATCH',
  RequestExpired: 'AUTH_REQUEST_EXPIRED',
  HeaderNotSigned: 'AUTH_HEADER_NOT_SIGNED',
  PayloadHashMismatch: 'AUTH_PAYLOAD_HASH_MISMATCH',
  SecurityTokenInvalid: 'AUTH_SECURITY_TOKEN_INVALID',
  SignatureMismatch: 'AUTH_SIGNATURE_MISMATCH',
  IdentityMalformed: 'AUTH_IDENTITY_MALFORMED',
} as const;

export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];
