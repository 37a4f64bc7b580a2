/**
 * The signed-in user of this browser tab: the token (the dev IdP's, or a Cognito ID token) and
 * its claims, kept in sessionStorage (cleared when the tab closes; every tab signs in on its own).
 * A session whose token has expired counts as signed out. `setSession(null)` is the user signing
 * out (in cognito mode web/src/auth/flow.ts then ends the hosted-UI session too);
 * `expireSession()` just forgets a session the API no longer accepts.
 */
import { useSyncExternalStore } from 'react';
import { isExpired, tokenExpiresAt } from './auth/tokens.ts';

export type Role = 'parent' | 'caseworker' | 'auditor' | 'admin';

export interface User {
  sub: string;
  role: Role;
  agency?: string;
  township?: string;
  name?: string;
  email?: string;
}

export interface Session {
  token: string;
  user: User;
}

const KEY = 'onestop.session';
/** setTimeout's longest delay (~24.8 days); a later expiry is checked again when it fires. */
const MAX_TIMER_MS = 2_147_483_647;
const listeners = new Set<() => void>();
const signOutHandlers = new Set<(previous: Session) => void>();
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
let cached: Session | null = restore();
scheduleExpiry();

/** The session saved in this tab, unless it is unreadable or its token has expired. */
function restore(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    const saved = raw ? (JSON.parse(raw) as Partial<Session>) : null;
    if (saved && typeof saved.token === 'string' && typeof saved.user?.sub === 'string') {
      if (!isExpired(saved.token, Date.now())) return saved as Session;
    }
    if (raw) sessionStorage.removeItem(KEY);
  } catch {
    // storage unavailable or unreadable: start signed out
  }
  return null;
}

function store(session: Session | null) {
  cached = session;
  try {
    if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage unavailable: the session lives in memory only
  }
  scheduleExpiry();
  for (const l of listeners) l();
}

/** Signs the tab out (without a sign-out) when the token's `exp` passes, so no page shows stale data. */
function scheduleExpiry() {
  clearTimeout(expiryTimer);
  const expiresAt = cached ? tokenExpiresAt(cached.token) : null;
  if (expiresAt === null) return;
  const delay = Math.min(Math.max(expiresAt - Date.now(), 0), MAX_TIMER_MS);
  expiryTimer = setTimeout(() => {
    if (cached && isExpired(cached.token, Date.now())) expireSession();
    else scheduleExpiry();
  }, delay);
}

/** The current session, or null when there is none or its token has expired. */
export function getSession(): Session | null {
  if (cached && isExpired(cached.token, Date.now())) expireSession();
  return cached;
}

/** Signs in (`session`) or out (`null`); signing out runs the sign-out handlers. */
export function setSession(session: Session | null) {
  const previous = cached;
  store(session);
  if (!session && previous) for (const handler of signOutHandlers) handler(previous);
}

/** Forgets the session without a sign-out (its token expired or the API refused it). */
export function expireSession() {
  if (cached) store(null);
}

/** Runs `handler` after the user signs out; returns its removal. */
export function onSignOut(handler: (previous: Session) => void): () => void {
  signOutHandlers.add(handler);
  return () => signOutHandlers.delete(handler);
}

export function useSession(): Session | null {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => cached,
  );
}
