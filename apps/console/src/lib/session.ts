import { useSyncExternalStore } from 'react';
import createClient from 'openapi-fetch';
import type { paths } from '../api/gen/tributary.gen';
import { ApiError, unwrap } from './api-error';

export interface SessionUser {
  userId: string;
  username: string;
  fullName: string;
  role: string;
}

export interface SessionState {
  status: 'starting' | 'signed-out' | 'signed-in';
  user?: SessionUser;
  /** The access token lives here only: never in storage, so a reload asks the cookie again. */
  accessToken?: string;
  /** Set while a call waits for the user to sign in again (the page under the dialog stays as it was). */
  reauthenticating: boolean;
}

const SESSION_PARAMS = { header: { 'x-tributary-session': '1' } } as const;
// Session calls go straight to the gateway: they must not wait on a re-authentication themselves.
const raw = createClient<paths>({ baseUrl: window.location.origin });

let state: SessionState = { status: 'starting', reauthenticating: false };
const listeners = new Set<() => void>();
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let waiting: Array<(signedIn: boolean) => void> = [];
let refreshing: Promise<boolean> | undefined;

function set(next: Partial<SessionState>): void {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

interface BrowserSession {
  accessToken: string;
  expiresIn: number;
  user: SessionUser;
}

function adopt(session: BrowserSession): void {
  clearTimeout(refreshTimer);
  // Renew a little before expiry so ordinary calls rarely meet a 401 at all.
  const lead = Math.max(5, Math.min(60, Math.floor(session.expiresIn / 5)));
  refreshTimer = setTimeout(() => void refreshSession(), Math.max(1, session.expiresIn - lead) * 1000);
  const { userId, username, fullName, role } = session.user;
  set({ status: 'signed-in', accessToken: session.accessToken, user: { userId, username, fullName, role }, reauthenticating: false });
  const resolved = waiting;
  waiting = [];
  for (const resolve of resolved) resolve(true);
}

export async function signIn(username: string, password: string): Promise<void> {
  const session = unwrap(await raw.POST('/api/v1/auth/session', { body: { username, password }, params: SESSION_PARAMS }));
  const previous = state.user;
  // Another person signing in on this PC mid-form must not post the first person's work.
  if (previous && state.reauthenticating && previous.userId !== session.user.userId) {
    window.location.reload();
    return;
  }
  adopt(session);
}

/** Renews the access token from the httpOnly cookie; false when there is no session to renew. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      adopt(unwrap(await raw.POST('/api/v1/auth/session/refresh', { params: SESSION_PARAMS })));
      return true;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      return false;
    } finally {
      refreshing = undefined;
    }
  })();
  return refreshing;
}

/** At start-up: a reload keeps the session when the cookie is still good. */
export async function restoreSession(): Promise<void> {
  try {
    if (await refreshSession()) return;
  } catch {
    // The gateway is unreachable: show the sign-in form, which reports it on use.
  }
  set({ status: 'signed-out' });
}

/**
 * Called when a request met a 401: renew silently if the cookie allows, else open the sign-in
 * dialog over the page and resolve once the user has signed in again.
 */
export async function reauthenticate(): Promise<boolean> {
  if (await refreshSession().catch(() => false)) return true;
  return new Promise((resolve) => {
    waiting.push(resolve);
    set({ reauthenticating: true });
  });
}

export async function signOut(): Promise<void> {
  clearTimeout(refreshTimer);
  const token = state.accessToken;
  set({ status: 'signed-out', accessToken: undefined, user: undefined, reauthenticating: false });
  const abandoned = waiting;
  waiting = [];
  for (const resolve of abandoned) resolve(false);
  if (token)
    await raw
      .POST('/api/v1/auth/session/end', { params: SESSION_PARAMS, headers: { authorization: `Bearer ${token}` } })
      .catch(() => undefined);
}

export function currentAccessToken(): string | undefined {
  return state.accessToken;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, () => state);
}
