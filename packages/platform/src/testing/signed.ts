import { createHash } from 'node:crypto';
import type { FastifyBaseLogger, FastifyTypeProvider } from 'fastify';
import type { SomeFastify } from '../http/types.js';
import { identityHeaders } from '../auth/identity.js';
import { signRequest, type SigningCredentials, type SigningScope } from '../auth/sign.js';
import type { Keyring } from '../service/keys.js';
import { credentialsFor, keyringLookup } from '../service/keys.js';

export const TEST_SCOPE: SigningScope = { region: 'us-east-1', service: 'execute-api' };

/** A keyring with one stable key per principal, derived from its name (tests only). */
export function testKeyring(principals: readonly string[] = ['gateway', 'orders', 'processing', 'erp', 'sync', 'cli', 'test']): Keyring {
  return {
    keys: Object.fromEntries(
      principals.map((principal) => {
        const digest = createHash('sha256').update(`tributary-test-${principal}`).digest('hex');
        return [`TEST${digest.slice(0, 16).toUpperCase()}`, { secretAccessKey: digest.slice(16, 56), principal }];
      }),
    ),
  };
}

/** Verification options for createHttpApp's `auth`, trusting every key of the keyring. */
export function testAuth(keyring: Keyring = testKeyring()) {
  return { ...TEST_SCOPE, lookup: keyringLookup(keyring) };
}

export function testCredentials(principal = 'test', keyring: Keyring = testKeyring()): SigningCredentials {
  return credentialsFor(keyring, principal);
}

export interface SignedInjectRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  identity?: { user?: string; roles?: string[]; apiKeyId?: string };
}

/**
 * `app.inject` with a real SigV4 signature, as a peer service or the gateway would send it.
 * JSON bodies are serialised once and those exact bytes are signed and sent.
 */
export async function signedInject<L extends FastifyBaseLogger, P extends FastifyTypeProvider>(
  app: SomeFastify<L, P>,
  request: SignedInjectRequest,
  credentials: SigningCredentials = testCredentials(),
) {
  const payload =
    request.body === undefined
      ? undefined
      : typeof request.body === 'string' || Buffer.isBuffer(request.body)
        ? request.body
        : JSON.stringify(request.body);
  const headers: Record<string, string> = {
    ...(payload !== undefined && !hasContentType(request.headers) ? { 'content-type': 'application/json' } : {}),
    ...(request.identity ? identityHeaders(request.identity) : {}),
    ...request.headers,
  };
  const signed = await signRequest(
    { method: request.method, url: `http://localhost${request.url}`, headers, ...(payload !== undefined ? { body: payload } : {}) },
    credentials,
    TEST_SCOPE,
  );
  return app.inject({ method: request.method, url: request.url, headers: signed, ...(payload !== undefined ? { payload } : {}) });
}

function hasContentType(headers: Record<string, string> | undefined): boolean {
  return Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'content-type');
}
