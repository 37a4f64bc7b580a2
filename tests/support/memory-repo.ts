/**
 * An in-memory ApplicationRepository for core unit tests. It keeps the DynamoDB adapter's
 * behaviour, checked by the same contract suite (tests/contract/applications.contract.ts).
 */
import { nextTimerAt } from '#core/engine/transition';
import {
  type Application,
  type DomainEvent,
  type OrgRecord,
  type PoolRef,
  type PoolState,
  poolKey,
  type QueueEntry,
  type StoreEffect,
  type TransitionResult,
} from '#core/engine/types';
import {
  DuplicateApplicationError,
  IdempotencyConflictError,
  PoolContentionError,
  RoundDrawConflictError,
  SlotsExhaustedError,
  VersionConflictError,
} from '#core/errors';
import type {
  ApplicationRepository,
  IdempotencyClaim,
  PoolRepository,
  QueueQuery,
  RoundRecord,
  TaskItem,
  WaitlistItem,
} from '#core/ports';

export class MemoryRepository implements ApplicationRepository {
  apps = new Map<string, Application>();
  events: DomainEvent[] = [];
  idem = new Map<string, { appId: string; bodyHash: string }>();
  pools = new MemoryPoolStore();
  /** organisations' records by id, as a module's store would have put them */
  orgRecords = new Map<string, OrgRecord>();
  orgs = {
    read: async (ids: string[]) =>
      new Map(
        ids.flatMap((id) => {
          const r = this.orgRecords.get(id);
          return r ? [[id, structuredClone(r)] as const] : [];
        }),
      ),
  };

  async create(result: TransitionResult, claim?: IdempotencyClaim) {
    if (claim) {
      const seen = this.idem.get(claim.key);
      if (seen) {
        if (seen.bodyHash !== claim.bodyHash) throw new IdempotencyConflictError();
        return { app: structuredClone(this.apps.get(seen.appId) as Application), created: false };
      }
    }
    if (this.apps.has(result.app.id)) throw new VersionConflictError();
    this.pools.apply(result.app, result.effects ?? []);
    if (claim) this.idem.set(claim.key, { appId: result.app.id, bodyHash: claim.bodyHash });
    this.apps.set(result.app.id, structuredClone(result.app));
    this.events.push(...result.events);
    return { app: result.app, created: true };
  }
  async findIdempotent(key: string) {
    return this.idem.get(key) ?? null;
  }
  async get(id: string) {
    const app = this.apps.get(id);
    return app ? structuredClone(app) : null;
  }
  async save(result: TransitionResult, expectedVersion: number) {
    if (this.apps.get(result.app.id)?.version !== expectedVersion) throw new VersionConflictError();
    this.pools.apply(result.app, result.effects ?? []);
    this.apps.set(result.app.id, structuredClone(result.app));
    this.events.push(...result.events);
  }
  /** newest first, like the owner index */
  async listByApplicant(applicant: string, limit = 100) {
    return [...this.apps.values()]
      .filter((a) => a.applicant === applicant || (a.guardians ?? []).includes(applicant))
      .sort((a, b) => byKey(`${b.createdAt}#${b.id}`, `${a.createdAt}#${a.id}`))
      .slice(0, limit)
      .map((a) => structuredClone(a));
  }
  async linkGuardian(appId: string, sub: string) {
    const app = this.apps.get(appId);
    if (!app || app.applicant === sub || (app.guardians ?? []).includes(sub)) return 'already' as const;
    app.guardians = [...(app.guardians ?? []), sub];
    app.version += 1;
    return 'linked' as const;
  }
  /** A task per human, applicant or timer step that has opened; a township's tasks only in its own queue. */
  async listQueue(q: QueueQuery): Promise<TaskItem[]> {
    return [...this.apps.values()]
      .flatMap((a) =>
        tasksOf(a)
          .filter((s) => s.agency === q.agency && s.status === q.status && s.township === q.township)
          .map((s) => ({
            sortKey: `${s.dueAt ?? s.openedAt ?? a.createdAt}#${a.id}`,
            task: {
              appId: a.id,
              service: a.service,
              step: s.step,
              agency: q.agency,
              township: s.township,
              status: s.status,
              label: a.label,
              openedAt: s.openedAt,
              claimedAt: s.claimedAt,
              assignee: s.assignee,
              dueAt: s.dueAt,
              warnAt: s.warnAt,
              warned: s.warned,
              breached: s.breached,
            },
          })),
      )
      .sort((a, b) => byKey(a.sortKey, b.sortKey))
      .slice(0, q.limit ?? 200)
      .map((x) => x.task);
  }
  /** in sequence order */
  async listEvents(appId: string) {
    return this.events.filter((e) => e.appId === appId).sort((a, b) => a.seq - b.seq);
  }
  /** earliest first, like the sparse due index */
  async dueTimers(now: Date, limit: number) {
    return [...this.apps.values()]
      .flatMap((a) =>
        tasksOf(a).flatMap((s) => {
          const timerAt = nextTimerAt(s);
          return timerAt && timerAt <= now.toISOString()
            ? [{ sortKey: `${timerAt}#${a.id}#${s.step}`, appId: a.id, step: s.step }]
            : [];
        }),
      )
      .sort((a, b) => byKey(a.sortKey, b.sortKey))
      .slice(0, limit)
      .map(({ appId, step }) => ({ appId, step }));
  }
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The steps the DynamoDB store keeps a task item for: not auto steps, not steps still pending. */
const tasksOf = (app: Application) =>
  Object.values(app.steps).filter((s) => s.kind !== 'auto' && s.status !== 'pending');

/**
 * Pools, waitlists, uniqueness and rounds in memory, with the store's semantics: every effect of
 * a transition is checked first and then applied all together, or none is (one transaction).
 */
export class MemoryPoolStore implements PoolRepository {
  states = new Map<string, PoolState>();
  entries = new Map<string, { appId: string; entry: QueueEntry }>();
  unique = new Map<string, string>();
  due = new Map<string, { pool: PoolRef; marker: string }>();
  rounds = new Map<string, RoundRecord>();
  /** round draw leases (epoch ms), like the DynamoDB store's drawLeaseUntil */
  drawLeases = new Map<string, number>();

  /** Test setup: a pool with its capacity (and optional round / data). */
  define(state: Omit<PoolState, 'taken' | 'waiting' | 'settled'> & Partial<PoolState>) {
    this.states.set(poolKey(state), { taken: 0, waiting: 0, settled: 0, ...structuredClone(state) });
  }

  async openPool(ref: PoolRef, capacity: number, _at: string, data?: Record<string, unknown>) {
    if (this.states.has(poolKey(ref))) return 'exists' as const;
    this.define({ ...ref, capacity, ...(data ? { data } : {}) });
    return 'created' as const;
  }

  defineRound(round: RoundRecord) {
    this.rounds.set(`${round.service}#${round.id}`, structuredClone(round));
  }

  apply(app: Application, effects: StoreEffect[]) {
    const next = new Map([...this.states].map(([k, v]) => [k, { ...v }]));
    const unique = new Map(this.unique);
    const entries = new Map(this.entries);
    const due = new Map(this.due);
    const fresh = new Set<string>();
    const takes = new Set<string>();
    for (const e of effects) {
      const ref = e.type === 'join' || e.type === 'leave' ? e.entry : 'pool' in e ? e.pool : undefined;
      const key = ref ? poolKey(ref) : '';
      const state = ref ? next.get(key) : undefined;
      // like the store's condition on the pool item: a take from a pool that does not exist is refused
      if (ref && !state && e.type === 'take') throw new SlotsExhaustedError(ref as PoolRef);
      if (ref && !state) throw new Error(`no pool ${key}`);
      switch (e.type) {
        case 'take':
          if (!e.fromQueue) fresh.add(key);
          takes.add(key);
          if (e.capacity !== undefined && (state as PoolState).capacity !== e.capacity)
            throw new PoolContentionError();
          (state as PoolState).taken += e.amount;
          break;
        case 'release':
          (state as PoolState).taken -= e.amount;
          due.set(key, { pool: ref as PoolRef, marker: `${app.updatedAt}#${key}` });
          break;
        case 'settle':
          (state as PoolState).settled += e.amount;
          break;
        case 'join':
          if (!e.rerank) (state as PoolState).waiting++;
          entries.set(`${app.id}#${key}`, { appId: app.id, entry: e.entry });
          break;
        case 'leave':
          (state as PoolState).waiting--;
          entries.delete(`${app.id}#${key}`);
          break;
        case 'unique-claim': {
          const k = `${app.service}#${e.path}#${e.value}`;
          if (unique.has(k)) throw new DuplicateApplicationError(e.path);
          unique.set(k, app.id);
          break;
        }
        case 'unique-release':
          unique.delete(`${app.service}#${e.path}#${e.value}`);
          break;
      }
    }
    for (const key of takes) {
      const before = this.states.get(key) as PoolState;
      const after = next.get(key) as PoolState;
      if (after.taken > after.capacity || (fresh.has(key) && before.waiting > 0)) {
        throw new SlotsExhaustedError({ org: after.org, pool: after.pool });
      }
    }
    for (const s of next.values()) {
      if (s.taken < 0 || s.waiting < 0) throw new Error(`pool ${poolKey(s)} counters would go negative`);
    }
    this.states = next;
    this.unique = unique;
    this.entries = entries;
    this.due = due;
  }

  async read(refs: PoolRef[]) {
    const out = new Map<string, PoolState>();
    for (const r of refs) {
      const s = this.states.get(poolKey(r));
      if (s) out.set(poolKey(r), structuredClone(s));
    }
    return out;
  }

  private list(pool: PoolRef) {
    return [...this.entries.values()]
      .filter((x) => poolKey(x.entry) === poolKey(pool))
      .sort((a, b) => (`${a.entry.rank}#${a.appId}` < `${b.entry.rank}#${b.appId}` ? -1 : 1));
  }

  async waitlist(pool: PoolRef, opts: { limit?: number; rankPrefix?: string } = {}): Promise<WaitlistItem[]> {
    return this.list(pool)
      .filter((x) => !opts.rankPrefix || x.entry.rank.startsWith(opts.rankPrefix))
      .slice(0, opts.limit ?? Number.POSITIVE_INFINITY)
      .map((x) => ({ appId: x.appId, step: x.entry.step, rank: x.entry.rank }));
  }

  async ahead(appId: string, entries: QueueEntry[]) {
    return entries.map(
      (e) => this.list(e).filter((x) => `${x.entry.rank}#${x.appId}` < `${e.rank}#${appId}`).length,
    );
  }

  async duePools(now: Date, limit: number) {
    return [...this.due.values()]
      .filter((d) => d.marker <= `${now.toISOString()}#~`)
      .sort((a, b) => (a.marker < b.marker ? -1 : 1))
      .slice(0, limit);
  }

  async markDue(pool: PoolRef, now: Date) {
    this.due.set(poolKey(pool), { pool, marker: `${now.toISOString()}#${poolKey(pool)}` });
  }

  async clearDue(pool: PoolRef, marker: string) {
    if (this.due.get(poolKey(pool))?.marker === marker) this.due.delete(poolKey(pool));
  }

  /** pools in key order, like the store's set of pool keys */
  async getRound(service: string, id: string) {
    const r = this.rounds.get(`${service}#${id}`);
    return r ? roundCopy(r) : null;
  }

  /** earliest deadline first, like the due index */
  async dueRounds(now: Date, limit: number) {
    return [...this.rounds.values()]
      .filter((r) => r.status !== 'allocated' && r.deadline <= now.toISOString())
      .sort((a, b) => byKey(`${a.deadline}#${a.service}#${a.id}`, `${b.deadline}#${b.service}#${b.id}`))
      .slice(0, limit)
      .map(roundCopy);
  }

  async startRound(service: string, id: string, seed: string, now: Date) {
    const r = this.rounds.get(`${service}#${id}`);
    if (!r) throw new Error('round not startable');
    // like the DynamoDB store: one draw at a time, a crashed draw resumable after its lease
    const lease = this.drawLeases.get(`${service}#${id}`);
    if (r.status === 'allocated' || (lease !== undefined && lease >= now.getTime())) {
      throw new RoundDrawConflictError(
        r.status === 'allocated' ? 'ROUND_ALREADY_DRAWN' : 'ROUND_DRAW_IN_PROGRESS',
      );
    }
    this.drawLeases.set(`${service}#${id}`, now.getTime() + 10 * 60_000);
    r.status = 'allocating';
    r.seed ??= seed;
    r.startedAt ??= now.toISOString();
    return roundCopy(r);
  }

  async finishRound(service: string, id: string, stats: { entrants: number; placed: number }, now: Date) {
    const r = this.rounds.get(`${service}#${id}`);
    if (!r) return;
    for (const p of r.pools) {
      const s = this.states.get(poolKey(p));
      if (s?.round) s.round.allocatedAt = now.toISOString();
      await this.markDue(p, now);
    }
    Object.assign(r, { status: 'allocated', allocatedAt: now.toISOString(), ...stats });
  }
}

const roundCopy = (r: RoundRecord): RoundRecord => {
  const copy = structuredClone(r);
  copy.pools.sort((a, b) => byKey(poolKey(a), poolKey(b)));
  return copy;
};
