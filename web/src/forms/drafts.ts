/**
 * Drafts and the parent's own copy of what they submitted, in this browser's localStorage, per
 * signed-in user. The server-side draft API (DESIGN §3 `DRAFT#…` items) does not exist yet; when
 * it does, this module is the one place to switch. Each draft's id is the Idempotency-Key of its
 * submission, so a double click or a retry never creates two applications.
 *
 * The submitted copy keeps the unmasked 身份证号 so that a resubmission after a request for more
 * information can send the full corrected form (the API returns ID numbers masked).
 */
import { newId } from '../api.ts';
import type { Values } from './hints.ts';

export interface Draft {
  id: string;
  service: string;
  values: Values;
  toggles: Record<string, boolean>;
  /** the section the parent was on ('review' for the review page) */
  section: string;
  updatedAt: string;
  /** set once submitted */
  appId?: string;
}

const draftsKey = (sub: string) => `onestop.drafts.${sub}`;
const copiesKey = (sub: string) => `onestop.submitted.${sub}`;

function readJson<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

function writeJson(key: string, value: unknown) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or unavailable: drafts then last for this page only
  }
}

export function listDrafts(sub: string): Draft[] {
  return readJson<Draft[]>(draftsKey(sub), []).filter((d) => !d.appId);
}

export function getDraft(sub: string, id: string): Draft | undefined {
  return readJson<Draft[]>(draftsKey(sub), []).find((d) => d.id === id);
}

export function newDraft(service: string, values: Values): Draft {
  return { id: newId(), service, values, toggles: {}, section: '', updatedAt: new Date().toISOString() };
}

export function saveDraft(sub: string, draft: Draft) {
  const all = readJson<Draft[]>(draftsKey(sub), []).filter((d) => d.id !== draft.id);
  all.unshift({ ...draft, updatedAt: new Date().toISOString() });
  writeJson(draftsKey(sub), all.slice(0, 20));
}

export function deleteDraft(sub: string, id: string) {
  writeJson(
    draftsKey(sub),
    readJson<Draft[]>(draftsKey(sub), []).filter((d) => d.id !== id),
  );
}

/** After a successful submission: the draft is done; keep the unmasked form for resubmission. */
export function markSubmitted(sub: string, draftId: string, appId: string, form: Record<string, unknown>) {
  deleteDraft(sub, draftId);
  saveSubmittedCopy(sub, appId, form);
}

export function saveSubmittedCopy(sub: string, appId: string, form: Record<string, unknown>) {
  const all = readJson<Record<string, Record<string, unknown>>>(copiesKey(sub), {});
  all[appId] = form;
  writeJson(copiesKey(sub), all);
}

export function submittedCopy(sub: string, appId: string): Record<string, unknown> | undefined {
  return readJson<Record<string, Record<string, unknown>>>(copiesKey(sub), {})[appId];
}
