/**
 * The signed-in user of this browser tab: the dev IdP's token and its claims, kept in
 * sessionStorage (cleared when the tab closes; every tab signs in on its own).
 */
import { useSyncExternalStore } from 'react';

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
const listeners = new Set<() => void>();
let cached: Session | null = read();

function read(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function getSession(): Session | null {
  return cached;
}

export function setSession(session: Session | null) {
  cached = session;
  try {
    if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage unavailable: the session lives in memory only
  }
  for (const l of listeners) l();
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
