import { expect } from 'vitest';
import { isAppError, type AppError } from '../core/errors.js';
import { signRequest, type RequestToSign, type SigningCredentials, type SigningScope } from './sign.js';
import type { CredentialRecord, IncomingRequest, VerifyOptions } from './verify.js';

/** Shared fixtures for the auth tests; not exported from the package. */

export const SCOPE: SigningScope = { region: 'us-east-1', service: 'execute-api' };
export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

export const CREDENTIALS: SigningCredentials = {
  accessKeyId: 'AKIDORDERS',
  secretAccessKey: 'orders-secret-7b1f3c9e0a2d4f6b8c1e3a5d7f9b2c4e',
};
export const TEMPORARY: SigningCredentials = {
  accessKeyId: 'ASIATEMPORARY',
  secretAccessKey: 'temporary-secret-0c2e4a6b8d1f3e5a7c9b',
  sessionToken: 'session-token-5a7c9e1b3d',
};

export const RECORDS: Record<string, CredentialRecord> = {
  [CREDENTIALS.accessKeyId]: { secretAccessKey: CREDENTIALS.secretAccessKey, principal: 'svc:orders' },
  [TEMPORARY.accessKeyId]: {
    secretAccessKey: TEMPORARY.secretAccessKey,
    principal: 'svc:sync',
    sessionToken: 'session-token-5a7c9e1b3d',
    expiresAt: NOW + 60 * 60 * 1000,
  },
};

export function verifyOptions(overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  return { ...SCOPE, lookup: (id) => RECORDS[id], now: () => NOW, ...overrides };
}

/** What the server would see for a request the client sent exactly as signed. */
export function incoming(request: RequestToSign, headers: Record<string, string>): IncomingRequest {
  const url = new URL(request.url);
  return {
    method: request.method.toUpperCase(),
    path: url.pathname,
    rawQuery: url.search.slice(1),
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  };
}

export async function signedIncoming(
  request: RequestToSign,
  credentials: SigningCredentials = CREDENTIALS,
  at: Date = new Date(NOW),
): Promise<IncomingRequest> {
  return incoming(request, await signRequest(request, credentials, SCOPE, at));
}

/** Awaits a refusal and checks it is the 401 AppError with this code. */
export async function expectRefused(promise: Promise<unknown>, code: string): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(isAppError(error), `expected an AppError ${code}`).toBe(true);
  const appError = error as AppError;
  expect(appError.code).toBe(code);
  expect(appError.status).toBe(401);
  return appError;
}
