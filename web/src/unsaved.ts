/**
 * What a user typed and has not sent yet, kept in this tab's sessionStorage so that it survives a
 * session renewal, an expired session and the full-page round-trip through the hosted sign-in:
 * a caseworker's decision (web/src/pages/caseworker/CaseView.tsx) and a parent's form input
 * not yet saved as a draft (web/src/pages/parent/Apply.tsx). Keys name the user, the page and the
 * case, so another user signing in to the same tab never sees it; an entry is removed once what
 * it holds was sent, and all of them when the user signs out (web/src/auth/flow.ts). Callers never
 * put an ID number (身份证号) here: storage keeps it in clear.
 */

const PREFIX = 'onestop.unsaved.';

/** The storage key of one page's unsent input, e.g. `stashKey(sub, 'case', appId, step)`. */
export const stashKey = (sub: string, page: string, ...ids: string[]): string =>
  `${PREFIX}${[sub, page, ...ids].map(encodeURIComponent).join('.')}`;

/** The input kept under `key`, or null (none, unreadable, or storage unavailable). */
export function readStash<T>(key: string): T | null {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

/** Keeps `value` under `key`; null removes it. */
export function writeStash(key: string, value: unknown): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or unavailable: the input then lives as long as the page
  }
}

/** Forgets every user's unsent input in this tab (on sign-out). */
export function clearStashes(): void {
  try {
    for (let i = sessionStorage.length - 1; i >= 0; i--) {
      const key = sessionStorage.key(i);
      if (key?.startsWith(PREFIX)) sessionStorage.removeItem(key);
    }
  } catch {
    // storage unavailable: nothing was kept
  }
}
