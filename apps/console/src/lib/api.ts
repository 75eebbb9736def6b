import createClient from 'openapi-fetch';
import type { paths } from '../api/gen/tributary.gen';
import { unwrap } from './api-error';
import { currentAccessToken, reauthenticate } from './session';

function withToken(request: Request): Request {
  const headers = new Headers(request.headers);
  const token = currentAccessToken();
  if (token) headers.set('authorization', `Bearer ${token}`);
  headers.set('x-request-id', crypto.randomUUID());
  return new Request(request, { headers });
}

/**
 * Every call carries the in-memory access token. A 401 (expired or revoked) waits for a silent
 * renewal or the re-sign-in dialog and is then sent once more, so whatever the user was typing
 * is neither lost nor sent twice.
 */
async function authorisedFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  const response = await fetch(withToken(request));
  if (response.status !== 401) return response;
  if (!(await reauthenticate())) return response;
  return fetch(withToken(retry));
}

export const api = createClient<paths>({ baseUrl: window.location.origin, fetch: authorisedFetch });

/**
 * One call through the client: its data, or its failure thrown as an ApiError, so query and
 * mutation hooks see one error type. `callApi(api.GET('/order', { signal }))`.
 */
export async function callApi<Data>(call: Promise<{ data?: Data; error?: unknown; response: Response }>): Promise<Data> {
  return unwrap(await call);
}
