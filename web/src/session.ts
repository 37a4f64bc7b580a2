/**
 * The signed-in user of this browser tab: the token (the dev IdP's, or a Cognito ID token), its
 * claims and, on AWS, the refresh token, kept in sessionStorage (cleared when the tab closes;
 * every tab signs in on its own; docs/security.md says why there). A session whose token has
 * expired counts as signed out, unless it can be renewed: on AWS web/src/auth/flow.ts installs a
 * renewer (the refresh-token grant), and the session is renewed shortly before its ID token
 * expires and whenever the API refuses it (web/src/api.ts), one renewal at a time. A renewal the
 * identity provider refuses ends the session when its ID token expires, and the page asks for a
 * sign-in. `setSession(null)` is the user signing out (in cognito mode flow.ts then revokes the
 * refresh token and ends the hosted-UI session too); `expireSession()` just forgets a session the
 * API no longer accepts.
 */
import { useSyncExternalStore } from 'react';
import type { RenewOutcome } from './auth/hosted-ui.ts';
import { decodeJwtPayload, isExpired, tokenExpiresAt } from './auth/tokens.ts';

export type Role = 'parent' | 'caseworker' | 'auditor' | 'admin' | 'agent';

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
  /** Cognito's refresh token (AWS only): renews `token` without a sign-in */
  refreshToken?: string;
}

/** Renews a session (the refresh-token grant); installed once the runtime configuration is known. */
export type Renewer = (session: Session) => Promise<RenewOutcome>;

const KEY = 'onestop.session';
/** setTimeout's longest delay (~24.8 days); a later expiry is checked again when it fires. */
const MAX_TIMER_MS = 2_147_483_647;
/** Renew this long before the ID token expires (at most; a fifth of a short token's life). */
export const RENEW_LEAD_MS = 120_000;
/** After a renewal that got no answer, try again this much later (while the session lasts). */
export const RENEW_RETRY_MS = 15_000;
/**
 * The shortest time between two renewals: a browser clock far ahead of Cognito's would otherwise
 * see each new token as about to expire and renew it again at once, without end.
 */
export const MIN_RENEW_INTERVAL_MS = 5_000;
const listeners = new Set<() => void>();
const signOutHandlers = new Set<(previous: Session) => void>();
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
/** undefined until the app says whether sessions renew (`installRenewal`), then a renewer or null */
let renewer: Renewer | null | undefined;
let renewal: Promise<Session | null> | null = null;
let lastRenewedAt = Number.NEGATIVE_INFINITY;
let cached: Session | null = restore();
scheduleExpiry();

/** The saved session of this tab, unless unreadable, or expired with nothing to renew it with. */
function restore(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    const saved = raw ? (JSON.parse(raw) as Partial<Session>) : null;
    if (saved && typeof saved.token === 'string' && typeof saved.user?.sub === 'string') {
      if (!isExpired(saved.token, Date.now()) || typeof saved.refreshToken === 'string') {
        return saved as Session;
      }
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

/** A session that can be renewed: it has a refresh token, and a renewer is installed (or may be). */
function renewable(session: Session): boolean {
  return typeof session.refreshToken === 'string' && renewer !== null;
}

/**
 * When to renew: RENEW_LEAD_MS before the ID token's `exp`, or a fifth of its lifetime before
 * when that is shorter (a 20-second token renews after 16 s, not at once and forever).
 */
export function renewAtMs(token: string): number | null {
  const expiresAt = tokenExpiresAt(token);
  if (expiresAt === null) return null;
  const iat = decodeJwtPayload(token)?.iat;
  const lifetime = typeof iat === 'number' ? expiresAt - iat * 1000 : RENEW_LEAD_MS * 5;
  return expiresAt - Math.min(RENEW_LEAD_MS, Math.max(lifetime, 0) / 5);
}

/**
 * One timer per session: it renews a renewable session shortly before its ID token expires, and
 * signs the tab out (without a sign-out) when the token of one that cannot be renewed expires,
 * so no page shows stale data.
 */
function scheduleExpiry(retryInMs?: number) {
  clearTimeout(expiryTimer);
  if (!cached) return;
  const at = (delay: number, run: () => void) => {
    expiryTimer = setTimeout(run, Math.min(Math.max(delay, 0), MAX_TIMER_MS));
  };
  if (renewable(cached)) {
    // wait for the renewer: the configuration that says whether sessions renew is still loading
    if (renewer === undefined) return;
    const renewAt = Math.max(renewAtMs(cached.token) ?? Date.now(), lastRenewedAt + MIN_RENEW_INTERVAL_MS);
    at(retryInMs ?? renewAt - Date.now(), () => void renewSession());
    return;
  }
  const expiresAt = tokenExpiresAt(cached.token);
  if (expiresAt === null) return;
  at(expiresAt - Date.now(), () => {
    if (cached && isExpired(cached.token, Date.now())) expireSession();
    else scheduleExpiry();
  });
}

/**
 * Says how sessions renew (`null`: they do not, as with the local dev IdP); called once the
 * runtime configuration is loaded (web/src/main.tsx through auth/flow.ts).
 */
export function installRenewal(renew: Renewer | null) {
  renewer = renew;
  if (cached && isExpired(cached.token, Date.now()) && !renewable(cached)) expireSession();
  else scheduleExpiry();
}

/**
 * Renews the session with the installed renewer; concurrent callers share one renewal. `refused`
 * is the token the API just refused: when the session already holds another, valid one (a
 * renewal finished meanwhile), that one is the answer and nothing is renewed again. Resolves to
 * the session to use, or null when there is none: the tab is then signed out (without a
 * sign-out) if the token it has is expired or was refused.
 */
export function renewSession(refused?: string): Promise<Session | null> {
  if (renewal) return renewal;
  const from = cached;
  if (!from) return Promise.resolve(null);
  if (refused !== undefined && from.token !== refused && !isExpired(from.token, Date.now())) {
    return Promise.resolve(from);
  }
  const renew = renewer;
  if (!renew || !from.refreshToken) {
    if (refused !== undefined || isExpired(from.token, Date.now())) expireSession();
    return Promise.resolve(null);
  }
  const attempt = (async (): Promise<Session | null> => {
    let outcome: RenewOutcome;
    try {
      outcome = await renew(from);
    } catch {
      outcome = { kind: 'unavailable' };
    }
    // signed out or in as someone else meanwhile: that session stands
    if (cached !== from) return cached;
    if (outcome.kind === 'renewed') {
      lastRenewedAt = Date.now();
      store(outcome.session);
      return outcome.session;
    }
    const unusable = refused !== undefined || isExpired(from.token, Date.now());
    if (outcome.kind === 'rejected') {
      // the refresh token is spent: the session lasts as long as its ID token, then asks for a sign-in
      if (unusable) expireSession();
      else store({ token: from.token, user: from.user });
      return null;
    }
    // no answer: try again soon; a request the API refused goes to sign-in
    if (refused !== undefined) expireSession();
    else scheduleExpiry(RENEW_RETRY_MS);
    return null;
  })();
  renewal = attempt;
  void attempt.finally(() => {
    if (renewal === attempt) renewal = null;
  });
  return attempt;
}

/** The current session, or null when there is none or its token has expired and cannot be renewed. */
export function getSession(): Session | null {
  if (cached && isExpired(cached.token, Date.now()) && !renewable(cached)) expireSession();
  return cached;
}

/**
 * The session to send a request with: renewed first when its ID token has expired (a tab that
 * slept past the renewal timer), null when there is none.
 */
export async function sessionForRequest(): Promise<Session | null> {
  const session = getSession();
  if (session && isExpired(session.token, Date.now())) return renewSession();
  return session;
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
