import { unauthenticated } from '../core/errors.js';
import { AuthErrorCode } from './codes.js';

/**
 * Who a signed service-to-service request acts for. The signature proves which service sent
 * it (the principal); these headers, covered by that signature, say on whose behalf.
 */
export const IDENTITY_HEADERS = {
  user: 'x-tributary-user',
  roles: 'x-tributary-roles',
  apiKeyId: 'x-tributary-key-id',
} as const;

const malformed = (message: string) => unauthenticated(AuthErrorCode.IdentityMalformed, message);

export type Identity = {
  /** The signing service. */
  principal: string;
  user?: string;
  roles: string[];
  apiKeyId?: string;
};

/**
 * Values are percent-encoded: header values must be Latin-1 on the wire (Node refuses more),
 * user names need not be, and a role name containing ',' must not split into two roles.
 */
export function identityHeaders(identity: { user?: string; roles?: string[]; apiKeyId?: string }): Record<string, string> {
  const headers: Record<string, string> = {};
  if (identity.user) headers[IDENTITY_HEADERS.user] = encodeURIComponent(identity.user);
  const roles = (identity.roles ?? []).filter((role) => role !== '');
  if (roles.length > 0) headers[IDENTITY_HEADERS.roles] = roles.map(encodeURIComponent).join(',');
  if (identity.apiKeyId) headers[IDENTITY_HEADERS.apiKeyId] = encodeURIComponent(identity.apiKeyId);
  return headers;
}

export function readIdentity(headers: Record<string, string | string[] | undefined>, principal: string): Identity {
  const identity: Identity = { principal, roles: readRoles(headers[IDENTITY_HEADERS.roles]) };
  const user = readSingle(headers[IDENTITY_HEADERS.user], IDENTITY_HEADERS.user);
  if (user !== undefined) identity.user = user;
  const apiKeyId = readSingle(headers[IDENTITY_HEADERS.apiKeyId], IDENTITY_HEADERS.apiKeyId);
  if (apiKeyId !== undefined) identity.apiKeyId = apiKeyId;
  return identity;
}

function readSingle(value: string | string[] | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  // Node folds a repeated header into "a, b"; an encoded value never holds a raw ',', so this is a repeat.
  if (Array.isArray(value) || value.includes(',')) throw malformed(`${name} must appear once`);
  const decoded = decode(value.trim(), name);
  return decoded === '' ? undefined : decoded;
}

function readRoles(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const roles = new Set<string>();
  for (const part of (Array.isArray(value) ? value : [value]).join(',').split(',')) {
    const role = decode(part.trim(), IDENTITY_HEADERS.roles);
    if (role !== '') roles.add(role);
  }
  return [...roles];
}

function decode(value: string, name: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw malformed(`${name} is not valid percent-encoding`);
  }
}
