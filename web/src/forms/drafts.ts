/**
 * Drafts live on the server (`/drafts`, stored encrypted under the parent's account, kept 30 days
 * after the last save), so a form started on a phone can be finished on a computer. Each draft's
 * id is also the Idempotency-Key of its submission, so a double click or a retry never creates two
 * applications. Saves are optimistic: each carries the version it replaces, and a save from
 * another window or device first makes this one a conflict instead of silently losing either.
 *
 * The parent's own copy of what they submitted stays in this browser's localStorage: it keeps the
 * unmasked 身份证号 so that a resubmission after a request for more information can send the full
 * corrected form (the API returns ID numbers masked).
 */
import { ApiError, api, newId } from '../api.ts';
import type { Values } from './hints.ts';

export interface Draft {
  id: string;
  service: string;
  values: Values;
  toggles: Record<string, boolean>;
  /** the section the parent was on ('review' for the review page) */
  section: string;
  updatedAt: string;
  /** the stored version this copy is based on; 0 before the first save */
  version: number;
}

export interface DraftSummary {
  id: string;
  service: string;
  section: string;
  version: number;
  updatedAt: string;
  expiresAt: string;
}

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
    // storage full or unavailable: the copy then lasts for this page only
  }
}

const draftPath = (service: string, id: string) =>
  `/drafts/${encodeURIComponent(service)}/${encodeURIComponent(id)}`;

export async function listDrafts(): Promise<DraftSummary[]> {
  return (await api<{ items: DraftSummary[] }>('/drafts')).items;
}

/** The stored draft, or undefined when there is none (never saved, discarded or expired). */
export async function getDraft(service: string, id: string): Promise<Draft | undefined> {
  try {
    return await api<Draft>(draftPath(service, id));
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) return undefined;
    throw err;
  }
}

export function newDraft(service: string, values: Values): Draft {
  return {
    id: newId(),
    service,
    values,
    toggles: {},
    section: '',
    updatedAt: new Date().toISOString(),
    version: 0,
  };
}

/** Saves the draft; returns its new version and time. A 409 means another window saved first. */
export async function saveDraft(
  draft: Draft,
  opts: { keepalive?: boolean } = {},
): Promise<{ version: number; updatedAt: string }> {
  return api<{ version: number; updatedAt: string }>(draftPath(draft.service, draft.id), {
    ...opts,
    method: 'PUT',
    body: { version: draft.version, section: draft.section, values: draft.values, toggles: draft.toggles },
  });
}

export async function deleteDraft(service: string, id: string): Promise<void> {
  try {
    await api(draftPath(service, id), { method: 'DELETE' });
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
}

/** After a successful submission: the draft is done; keep the unmasked form for resubmission. */
export function markSubmitted(sub: string, draft: Draft, appId: string, form: Record<string, unknown>) {
  saveSubmittedCopy(sub, appId, form);
  // the application exists; a draft left behind by a failed delete expires on its own
  void deleteDraft(draft.service, draft.id).catch(() => undefined);
}

export function saveSubmittedCopy(sub: string, appId: string, form: Record<string, unknown>) {
  const all = readJson<Record<string, Record<string, unknown>>>(copiesKey(sub), {});
  all[appId] = form;
  writeJson(copiesKey(sub), all);
}

export function submittedCopy(sub: string, appId: string): Record<string, unknown> | undefined {
  return readJson<Record<string, Record<string, unknown>>>(copiesKey(sub), {})[appId];
}
