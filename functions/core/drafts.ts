/**
 * A parent's drafts: save as you type, resume on any device, discard. Only the owner ever sees a
 * draft (every call is scoped to the caller's `sub`); the content is returned as typed so the form
 * can be resumed. Saves are optimistic (the version the caller last saw; 0 creates) and a parent
 * keeps at most `maxDrafts`. The store encrypts the content and expires drafts (TTL).
 */

import { serviceIds } from './catalog.ts';
import type { Actor } from './engine/types.ts';
import { InvalidStateError, NotFoundError, ValidationError, VersionConflictError } from './errors.ts';
import { t } from './i18n.ts';
import type { Clock } from './ports.ts';

export interface DraftContent {
  values: Record<string, string | string[]>;
  toggles: Record<string, boolean>;
  /** the form section the parent was on (`review` for the review page) */
  section: string;
}

export interface DraftSummary {
  id: string;
  service: string;
  section: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
}

export type Draft = DraftSummary & DraftContent;

/** Thrown by a store when creating a draft would exceed the parent's limit. */
export class DraftLimitError extends Error {
  constructor() {
    super('draft limit reached');
  }
}

/** Thrown by a store when the stored version is not the expected one (null: no live draft). */
export class DraftVersionError extends Error {
  constructor(readonly current: number | null) {
    super('draft version mismatch');
  }
}

export interface DraftStore {
  list(sub: string, now: Date): Promise<DraftSummary[]>;
  get(sub: string, service: string, id: string, now: Date): Promise<Draft | null>;
  /**
   * Creates (expectedVersion 0) or replaces a draft; DraftVersionError on a stale version,
   * DraftLimitError when a new draft would make more than `maxDrafts` live ones (checked in the
   * same write, so concurrent first saves cannot overshoot).
   */
  save(
    sub: string,
    service: string,
    id: string,
    content: DraftContent,
    expectedVersion: number,
    now: Date,
    maxDrafts: number,
  ): Promise<DraftSummary>;
  /** true when there was a draft to delete */
  delete(sub: string, service: string, id: string): Promise<boolean>;
}

const notFound = () => new NotFoundError(t('草稿不存在或已过期', 'No such draft, or it has expired'));

export class DraftService {
  constructor(private readonly d: { store: DraftStore; clock: Clock; maxDrafts: number }) {}

  get maxDrafts() {
    return this.d.maxDrafts;
  }

  list(actor: Actor): Promise<DraftSummary[]> {
    return this.d.store.list(actor.sub, this.d.clock.now());
  }

  async get(actor: Actor, service: string, id: string): Promise<Draft> {
    const draft = await this.d.store.get(actor.sub, service, id, this.d.clock.now());
    if (!draft) throw notFound();
    return draft;
  }

  async save(
    actor: Actor,
    service: string,
    id: string,
    content: DraftContent,
    version: number,
  ): Promise<{ draft: DraftSummary; created: boolean }> {
    if (!serviceIds().includes(service)) {
      throw new ValidationError([
        {
          path: 'service',
          code: 'unknown_service',
          message: t(`没有名为 ${service} 的服务`, `There is no service ${service}`),
        },
      ]);
    }
    const now = this.d.clock.now();
    try {
      const draft = await this.d.store.save(actor.sub, service, id, content, version, now, this.d.maxDrafts);
      return { draft, created: version === 0 };
    } catch (err) {
      if (err instanceof DraftLimitError) {
        throw new InvalidStateError(
          t(
            `最多保存 ${this.d.maxDrafts} 份草稿，请先提交或删除不需要的草稿`,
            `At most ${this.d.maxDrafts} drafts are kept; submit or discard one first`,
          ),
        );
      }
      if (!(err instanceof DraftVersionError)) throw err;
      if (err.current === null && version > 0) throw notFound();
      throw new VersionConflictError(
        t(
          '该草稿已在其他窗口或设备上保存过，请重新打开后继续',
          'This draft was saved from another window or device; reopen it to continue',
        ),
      );
    }
  }

  async discard(actor: Actor, service: string, id: string): Promise<void> {
    if (!(await this.d.store.delete(actor.sub, service, id))) throw notFound();
  }
}
