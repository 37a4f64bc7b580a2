/**
 * The contract of ApplicationRepository and its PoolRepository (functions/core/ports.ts): what the
 * engine and the use cases rely on. One suite, run against the in-memory fake (unit project) and
 * the DynamoDB adapter on DynamoDB Local (integration project); where they disagreed, the adapter
 * was right and the fake was mended.
 *
 * Every test owns its applications, applicants, agencies and pools (fresh ids), so the suite can
 * share one store; the few global listings (due timers, due pools) are read for the test's own
 * entries only, or at instants before anything else in the store.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Application,
  DomainEvent,
  EventType,
  PoolRef,
  QueueEntry,
  StepState,
  StoreEffect,
  TransitionResult,
} from '#core/engine/types';
import {
  DuplicateApplicationError,
  IdempotencyConflictError,
  PoolContentionError,
  RoundDrawConflictError,
  SlotsExhaustedError,
  VersionConflictError,
} from '#core/errors';
import type { ApplicationRepository, PoolRepository } from '#core/ports';
import { birthForm } from '../support/forms.ts';

export interface ApplicationStoreUnderTest {
  repo: ApplicationRepository & { pools: PoolRepository };
  /**
   * Opens a nursery's toddler intake for `term` in the term's allocation round (the childcare
   * module's store does this; rounds are not opened through the port), returning its pool.
   */
  openRoundIntake(org: string, term: string, capacity: number, deadline: string): Promise<PoolRef>;
  /** releases what the store holds (a table), if anything */
  drop?: () => Promise<void>;
}

/** A service installed by every test process; its form has an ID number (a sensitive path). */
const SERVICE = 'birth-registration';
const T0 = Date.parse('2026-11-25T01:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function application(over: Partial<Application> = {}): Application {
  return {
    id: ulid(),
    service: SERVICE,
    applicant: `parent-${ulid()}`,
    status: 'in-progress',
    form: {},
    steps: {},
    label: '陈*乐 · 出生一件事',
    version: 1,
    eventSeq: 0,
    createdAt: at(0),
    updatedAt: at(0),
    ...over,
  };
}

function humanStep(step: string, agency: string, over: Partial<StepState> = {}): StepState {
  return { step, kind: 'human', agency, status: 'open', openedAt: at(0), pausedMs: 0, ...over };
}

function events(app: Application, first: number, types: EventType[]): DomainEvent[] {
  return types.map((type, i) => ({
    eventId: ulid(),
    seq: first + i,
    appId: app.id,
    service: app.service,
    type,
    at: app.updatedAt,
    actor: { sub: 'system', role: 'system' },
  }));
}

interface Change {
  events?: EventType[];
  touched?: string[];
  effects?: StoreEffect[];
}

/** What the engine hands the store for a submission: version 1, events numbered from 0. */
function submitted(app: Application, change: Change = {}): TransitionResult {
  const types = change.events ?? ['submitted'];
  const next = { ...app, eventSeq: types.length };
  return {
    app: next,
    events: events(next, 0, types),
    touched: change.touched ?? Object.keys(app.steps),
    effects: change.effects ?? [],
  };
}

/** A later transition of `prev` (the stored state): the next version, events numbered on. */
function changed(prev: Application, patch: Partial<Application>, change: Change = {}): TransitionResult {
  const types = change.events ?? ['step-claimed'];
  const first = prev.eventSeq ?? 0;
  const app: Application = {
    ...structuredClone(prev),
    updatedAt: at(prev.version),
    ...patch,
    version: prev.version + 1,
    eventSeq: first + types.length,
  };
  return {
    app,
    events: events(app, first, types),
    touched: change.touched ?? Object.keys(patch.steps ?? {}),
    effects: change.effects ?? [],
  };
}

const freshPool = (): PoolRef => ({ org: `org-${ulid()}`, pool: '2027-03#toddler' });
const entry = (pool: PoolRef, rank: string, step = 'place'): QueueEntry => ({ ...pool, rank, step });

export function describeApplicationRepositoryContract(
  name: string,
  make: () => Promise<ApplicationStoreUnderTest>,
): void {
  describe(`ApplicationRepository contract (${name})`, () => {
    let impl: ApplicationStoreUnderTest;
    let repo: ApplicationStoreUnderTest['repo'];
    let pools: PoolRepository;
    beforeAll(async () => {
      impl = await make();
      repo = impl.repo;
      pools = repo.pools;
    });
    afterAll(async () => {
      await impl.drop?.();
    });

    /** Stores a submission and returns the application as stored. */
    async function stored(app: Application, change: Change = {}): Promise<Application> {
      const result = submitted(app, change);
      await repo.create(result);
      return result.app;
    }

    describe('applications', () => {
      it('returns an application as it was created, ID numbers readable', async () => {
        const app = application({ form: birthForm(new Date(T0)) });
        const result = submitted(app);
        const { created } = await repo.create(result);
        expect(created).toBe(true);
        expect(await repo.get(app.id)).toEqual(result.app);
      });

      it('returns null for an application it does not hold', async () => {
        expect(await repo.get(ulid())).toBeNull();
      });

      it('refuses to create an application whose id is taken, and keeps the first', async () => {
        const first = await stored(application());
        const second = submitted({ ...first, label: '另一份申请', eventSeq: 0 });
        await expect(repo.create(second)).rejects.toBeInstanceOf(VersionConflictError);
        expect((await repo.get(first.id))?.label).toBe(first.label);
        expect(await repo.listEvents(first.id)).toHaveLength(1);
      });

      it('saves a transition made on the stored version', async () => {
        const app = await stored(application());
        const next = changed(app, { status: 'withdrawn' }, { events: ['withdrawn'] });
        await repo.save(next, app.version);
        expect(await repo.get(app.id)).toEqual(next.app);
      });

      it('refuses a transition made on a stale version and writes none of it', async () => {
        const app = await stored(application());
        const winner = changed(app, { label: '先到' });
        await repo.save(winner, app.version);
        const loser = changed(app, { label: '后到' }, { events: ['withdrawn'] });
        await expect(repo.save(loser, app.version)).rejects.toBeInstanceOf(VersionConflictError);
        expect((await repo.get(app.id))?.label).toBe('先到');
        expect((await repo.listEvents(app.id)).map((e) => e.type)).toEqual(['submitted', 'step-claimed']);
      });

      it('refuses to save an application it does not hold', async () => {
        const app = application();
        await expect(repo.save(changed(app, {}), app.version)).rejects.toBeInstanceOf(VersionConflictError);
        expect(await repo.get(app.id)).toBeNull();
      });

      it("lists an applicant's applications newest first, up to the limit", async () => {
        const applicant = `parent-${ulid()}`;
        const ids: string[] = [];
        for (const minute of [1, 3, 2]) {
          const app = await stored(application({ applicant, createdAt: at(minute), updatedAt: at(minute) }));
          ids.push(app.id);
        }
        await stored(application());
        const [m1, m3, m2] = ids;
        expect((await repo.listByApplicant(applicant)).map((a) => a.id)).toEqual([m3, m2, m1]);
        expect((await repo.listByApplicant(applicant, 2)).map((a) => a.id)).toEqual([m3, m2]);
      });
    });

    describe('idempotency', () => {
      it('creates once per key: the same body again returns the first application', async () => {
        const key = `parent-a#${ulid()}`;
        const first = submitted(application());
        await repo.create(first, { key, bodyHash: 'h1' });
        const retry = submitted(application({ applicant: first.app.applicant }));
        const again = await repo.create(retry, { key, bodyHash: 'h1' });
        expect(again).toEqual({ app: first.app, created: false });
        expect(await repo.get(retry.app.id)).toBeNull();
        expect(await repo.findIdempotent(key)).toEqual({ appId: first.app.id, bodyHash: 'h1' });
      });

      it('refuses the key with another body, and creates nothing', async () => {
        const key = `parent-a#${ulid()}`;
        await repo.create(submitted(application()), { key, bodyHash: 'h1' });
        const other = submitted(application());
        await expect(repo.create(other, { key, bodyHash: 'h2' })).rejects.toBeInstanceOf(
          IdempotencyConflictError,
        );
        expect(await repo.get(other.app.id)).toBeNull();
      });

      it('knows no record of a key never used', async () => {
        expect(await repo.findIdempotent(`parent-a#${ulid()}`)).toBeNull();
      });
    });

    describe('queues', () => {
      it("lists an agency's tasks of one status, soonest due first, with the task's fields", async () => {
        const agency = `agency-${ulid()}`;
        const late = await stored(
          application({
            steps: { review: humanStep('review', agency, { dueAt: at(900), warnAt: at(700) }) },
          }),
        );
        const soon = await stored(
          application({
            steps: {
              review: humanStep('review', agency, {
                status: 'claimed',
                dueAt: at(500),
                claimedAt: at(5),
                assignee: 'cw-1',
              }),
            },
          }),
        );
        const sooner = await stored(
          application({ steps: { review: humanStep('review', agency, { dueAt: at(300) }) } }),
        );
        expect((await repo.listQueue({ agency, status: 'open' })).map((t) => t.appId)).toEqual([
          sooner.id,
          late.id,
        ]);
        const [claimed] = await repo.listQueue({ agency, status: 'claimed' });
        expect(claimed).toEqual({
          appId: soon.id,
          service: SERVICE,
          step: 'review',
          agency,
          status: 'claimed',
          label: soon.label,
          openedAt: at(0),
          claimedAt: at(5),
          assignee: 'cw-1',
          dueAt: at(500),
        });
        expect((await repo.listQueue({ agency, status: 'open', limit: 1 })).map((t) => t.appId)).toEqual([
          sooner.id,
        ]);
      });

      it("keeps a township's tasks in that township's queue only", async () => {
        const agency = `agency-${ulid()}`;
        const app = await stored(
          application({ steps: { hukou: humanStep('hukou', agency, { township: 'liushi' }) } }),
        );
        expect(
          (await repo.listQueue({ agency, township: 'liushi', status: 'open' })).map((t) => t.appId),
        ).toEqual([app.id]);
        expect(await repo.listQueue({ agency, township: 'lecheng', status: 'open' })).toEqual([]);
        expect(await repo.listQueue({ agency, status: 'open' })).toEqual([]);
      });

      it('moves a task to the queue of its new status when a transition touches it', async () => {
        const agency = `agency-${ulid()}`;
        const app = await stored(application({ steps: { review: humanStep('review', agency) } }));
        const claim = changed(app, {
          steps: { review: humanStep('review', agency, { status: 'claimed', assignee: 'cw-2' }) },
        });
        await repo.save(claim, app.version);
        expect(await repo.listQueue({ agency, status: 'open' })).toEqual([]);
        expect((await repo.listQueue({ agency, status: 'claimed' })).map((t) => t.assignee)).toEqual([
          'cw-2',
        ]);
      });
    });

    describe('history', () => {
      it("lists an application's events in sequence order, numbered 0…n−1 without gaps", async () => {
        const app = await stored(application(), { events: ['submitted', 'step-opened'] });
        const other = await stored(application());
        const claim = changed(app, {}, { events: ['step-claimed'] });
        await repo.save(claim, app.version);
        const decide = changed(claim.app, {}, { events: ['step-approved', 'completed'] });
        await repo.save(decide, claim.app.version);
        const history = await repo.listEvents(app.id);
        expect(history.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);
        expect(history.map((e) => e.type)).toEqual([
          'submitted',
          'step-opened',
          'step-claimed',
          'step-approved',
          'completed',
        ]);
        expect((await repo.listEvents(other.id)).map((e) => e.appId)).toEqual([other.id]);
      });

      it("keeps sequence order when a later writer's clock reads earlier than the last event's", async () => {
        const app = await stored(application({ updatedAt: at(10) }));
        const behind = changed(app, { updatedAt: at(9) }, { events: ['step-claimed'] });
        await repo.save(behind, app.version);
        expect((await repo.listEvents(app.id)).map((e) => e.seq)).toEqual([0, 1]);
      });

      it('lists nothing for an application without history', async () => {
        expect(await repo.listEvents(ulid())).toEqual([]);
      });
    });

    describe('timers', () => {
      it('lists a human step when its warning falls due, then when it is due, and not once it is settled', async () => {
        const agency = `agency-${ulid()}`;
        const app = await stored(
          application({ steps: { review: humanStep('review', agency, { warnAt: at(60), dueAt: at(120) }) } }),
        );
        const mine = async (minutes: number) =>
          (await repo.dueTimers(new Date(at(minutes)), 10_000)).filter((d) => d.appId === app.id);
        expect(await mine(59)).toEqual([]);
        expect(await mine(60)).toEqual([{ appId: app.id, step: 'review' }]);
        const warned = changed(app, {
          steps: { review: humanStep('review', agency, { warnAt: at(60), dueAt: at(120), warned: true }) },
        });
        await repo.save(warned, app.version);
        expect(await mine(100)).toEqual([]);
        expect(await mine(120)).toEqual([{ appId: app.id, step: 'review' }]);
        const done = changed(warned.app, {
          steps: { review: humanStep('review', agency, { status: 'done', warnAt: at(60), dueAt: at(120) }) },
        });
        await repo.save(done, warned.app.version);
        expect(await mine(10_000)).toEqual([]);
      });

      it('lists due timers earliest first, up to the limit', async () => {
        // Minutes before anything else in the store, so the listing holds only these.
        const agency = `agency-${ulid()}`;
        const ids: string[] = [];
        for (const minute of [-3_000_002, -3_000_000, -3_000_001]) {
          const app = await stored(
            application({
              steps: { review: humanStep('review', agency, { warnAt: at(minute), dueAt: at(0) }) },
            }),
          );
          ids.push(app.id);
        }
        const [m2, , m1] = ids;
        const due = await repo.dueTimers(new Date(at(-3_000_000)), 2);
        expect(due).toEqual([
          { appId: m2, step: 'review' },
          { appId: m1, step: 'review' },
        ]);
      });
    });

    describe('pools', () => {
      it("opens a pool once: 'created', then 'exists' with nothing changed", async () => {
        const pool = freshPool();
        expect(await pools.openPool(pool, 3, at(0), { mode: 'rolling' })).toBe('created');
        expect(await pools.openPool(pool, 9, at(1), { mode: 'round' })).toBe('exists');
        const state = (await pools.read([pool])).get(`${pool.org}#${pool.pool}`);
        expect(state).toEqual({
          ...pool,
          capacity: 3,
          taken: 0,
          waiting: 0,
          settled: 0,
          data: { mode: 'rolling' },
        });
      });

      it('reads only the pools that exist', async () => {
        const pool = freshPool();
        await pools.openPool(pool, 1, at(0));
        const states = await pools.read([pool, freshPool()]);
        expect([...states.keys()]).toEqual([`${pool.org}#${pool.pool}`]);
      });

      it('gives places up to the capacity, then refuses the whole transition', async () => {
        const pool = freshPool();
        await pools.openPool(pool, 2, at(0));
        const take: StoreEffect = { type: 'take', pool, amount: 1, fromQueue: false };
        await stored(application(), { effects: [take] });
        await stored(application(), { effects: [take] });
        const third = application();
        await expect(repo.create(submitted(third, { effects: [take] }))).rejects.toBeInstanceOf(
          SlotsExhaustedError,
        );
        expect(await repo.get(third.id)).toBeNull();
        expect((await pools.read([pool])).get(`${pool.org}#${pool.pool}`)?.taken).toBe(2);
      });

      it('takes amounts against the capacity read: what fits, never more, and a changed capacity is contention', async () => {
        const pool = freshPool();
        await pools.openPool(pool, 10_000, at(0));
        const grant = (amount: number, capacity: number): StoreEffect => ({
          type: 'take',
          pool,
          amount,
          capacity,
          fromQueue: false,
        });
        await stored(application(), { effects: [grant(6000, 10_000)] });
        const over = application();
        await expect(repo.create(submitted(over, { effects: [grant(4001, 10_000)] }))).rejects.toBeInstanceOf(
          SlotsExhaustedError,
        );
        const stale = application();
        await expect(repo.create(submitted(stale, { effects: [grant(100, 12_000)] }))).rejects.toBeInstanceOf(
          PoolContentionError,
        );
        expect(await repo.get(over.id)).toBeNull();
        expect(await repo.get(stale.id)).toBeNull();
        await stored(application(), { effects: [grant(4000, 10_000)] });
        expect((await pools.read([pool])).get(`${pool.org}#${pool.pool}`)?.taken).toBe(10_000);
      });

      it('refuses a place in a pool that does not exist', async () => {
        const pool = freshPool();
        const app = application();
        await expect(
          repo.create(submitted(app, { effects: [{ type: 'take', pool, amount: 1, fromQueue: false }] })),
        ).rejects.toBeInstanceOf(SlotsExhaustedError);
        expect(await repo.get(app.id)).toBeNull();
      });

      it('frees a place on release and flags the pool for the sweeper until the flag is cleared', async () => {
        const pool = freshPool();
        await pools.openPool(pool, 1, at(0));
        const holder = await stored(application(), {
          effects: [{ type: 'take', pool, amount: 1, fromQueue: false }],
        });
        const release = changed(
          holder,
          { status: 'withdrawn', updatedAt: at(30) },
          {
            events: ['withdrawn'],
            effects: [{ type: 'release', pool, amount: 1 }],
          },
        );
        await repo.save(release, holder.version);
        expect((await pools.read([pool])).get(`${pool.org}#${pool.pool}`)?.taken).toBe(0);
        const mine = async (minutes: number) =>
          (await pools.duePools(new Date(at(minutes)), 10_000)).filter((d) => d.pool.org === pool.org);
        expect(await mine(29)).toEqual([]);
        const [flag] = await mine(30);
        expect(flag?.pool).toEqual(pool);
        await pools.clearDue(pool, flag!.marker);
        expect(await mine(10_000)).toEqual([]);
      });

      it('keeps a newer flag when an older one is cleared', async () => {
        const pool = freshPool();
        await pools.openPool(pool, 1, at(0));
        await pools.markDue(pool, new Date(at(10)));
        const mine = async () =>
          (await pools.duePools(new Date(at(10_000)), 10_000)).filter((d) => d.pool.org === pool.org);
        const [older] = await mine();
        await pools.markDue(pool, new Date(at(20)));
        await pools.clearDue(pool, older!.marker);
        const left = await mine();
        expect(left).toHaveLength(1);
        expect(left[0]?.marker).not.toBe(older?.marker);
      });

      it('lists flagged pools earliest flag first, up to the limit', async () => {
        const [a, b, c] = [freshPool(), freshPool(), freshPool()];
        for (const [pool, minute] of [
          [a, -2_000_002],
          [b, -2_000_000],
          [c, -2_000_001],
        ] as const) {
          await pools.openPool(pool, 1, at(0));
          await pools.markDue(pool, new Date(at(minute)));
        }
        const due = await pools.duePools(new Date(at(-2_000_000)), 2);
        expect(due.map((d) => d.pool)).toEqual([a, c]);
      });

      it('counts settled places', async () => {
        const pool = freshPool();
        await pools.openPool(pool, 1, at(0));
        const holder = await stored(application(), {
          effects: [{ type: 'take', pool, amount: 1, fromQueue: false }],
        });
        await repo.save(
          changed(holder, {}, { effects: [{ type: 'settle', pool, amount: 1 }] }),
          holder.version,
        );
        expect((await pools.read([pool])).get(`${pool.org}#${pool.pool}`)).toMatchObject({
          taken: 1,
          settled: 1,
        });
      });
    });

    describe('waitlists', () => {
      it('lists a waitlist lowest rank first, counts it, and lets a rank prefix or a limit narrow it', async () => {
        const pool = freshPool();
        await pools.openPool(pool, 0, at(0));
        const ranks = ['P2#b', 'A1#x', 'P1#z', 'P1#a'];
        const ids = new Map<string, string>();
        for (const rank of ranks) {
          const app = await stored(application(), {
            effects: [{ type: 'join', entry: entry(pool, rank), rerank: false }],
          });
          ids.set(rank, app.id);
        }
        const order = ['A1#x', 'P1#a', 'P1#z', 'P2#b'];
        expect(await pools.waitlist(pool)).toEqual(
          order.map((rank) => ({ appId: ids.get(rank), step: 'place', rank })),
        );
        expect((await pools.waitlist(pool, { rankPrefix: 'P' })).map((w) => w.rank)).toEqual(order.slice(1));
        expect((await pools.waitlist(pool, { limit: 2 })).map((w) => w.rank)).toEqual(order.slice(0, 2));
        expect((await pools.read([pool])).get(`${pool.org}#${pool.pool}`)?.waiting).toBe(4);
      });

      it('orders equal ranks by application id', async () => {
        const pool = freshPool();
        await pools.openPool(pool, 0, at(0));
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
          const app = await stored(application(), {
            effects: [{ type: 'join', entry: entry(pool, 'P1'), rerank: false }],
          });
          ids.push(app.id);
        }
        expect((await pools.waitlist(pool)).map((w) => w.appId)).toEqual([...ids].sort());
      });

      it('moves an entry on a new rank without counting it twice, and removes it on leave', async () => {
        const pool = freshPool();
        await pools.openPool(pool, 0, at(0));
        const first = await stored(application(), {
          effects: [{ type: 'join', entry: entry(pool, 'P1'), rerank: false }],
        });
        const second = await stored(application(), {
          effects: [{ type: 'join', entry: entry(pool, 'P2'), rerank: false }],
        });
        await repo.save(
          changed(second, {}, { effects: [{ type: 'join', entry: entry(pool, 'P0'), rerank: true }] }),
          second.version,
        );
        expect((await pools.waitlist(pool)).map((w) => w.appId)).toEqual([second.id, first.id]);
        expect((await pools.read([pool])).get(`${pool.org}#${pool.pool}`)?.waiting).toBe(2);
        await repo.save(
          changed(first, {}, { effects: [{ type: 'leave', entry: entry(pool, 'P1') }] }),
          first.version,
        );
        expect((await pools.waitlist(pool)).map((w) => w.appId)).toEqual([second.id]);
        expect((await pools.read([pool])).get(`${pool.org}#${pool.pool}`)?.waiting).toBe(1);
      });

      it('counts how many are ahead of each of an application’s entries', async () => {
        const [p, q] = [freshPool(), freshPool()];
        await pools.openPool(p, 0, at(0));
        await pools.openPool(q, 0, at(0));
        for (const rank of ['P1', 'P2', 'P4']) {
          await stored(application(), { effects: [{ type: 'join', entry: entry(p, rank), rerank: false }] });
        }
        const me = await stored(application(), {
          effects: [
            { type: 'join', entry: entry(p, 'P3'), rerank: false },
            { type: 'join', entry: entry(q, 'P3'), rerank: false },
          ],
        });
        expect(await pools.ahead(me.id, [entry(p, 'P3'), entry(q, 'P3')])).toEqual([2, 0]);
      });

      it('refuses a newcomer a free place while others wait, but gives it to one from the list', async () => {
        const pool = freshPool();
        await pools.openPool(pool, 1, at(0));
        const waiting = await stored(application(), {
          effects: [{ type: 'join', entry: entry(pool, 'P1'), rerank: false }],
        });
        const newcomer = application();
        await expect(
          repo.create(
            submitted(newcomer, { effects: [{ type: 'take', pool, amount: 1, fromQueue: false }] }),
          ),
        ).rejects.toBeInstanceOf(SlotsExhaustedError);
        expect(await repo.get(newcomer.id)).toBeNull();
        await repo.save(
          changed(
            waiting,
            {},
            {
              effects: [
                { type: 'leave', entry: entry(pool, 'P1') },
                { type: 'take', pool, amount: 1, fromQueue: true },
              ],
            },
          ),
          waiting.version,
        );
        expect((await pools.read([pool])).get(`${pool.org}#${pool.pool}`)).toMatchObject({
          taken: 1,
          waiting: 0,
        });
      });
    });

    describe('allocation rounds', () => {
      const ROUND_SERVICE = 'childcare-slot';
      const DEADLINE = at(60);

      /** a round of two intakes, not yet drawn */
      async function round() {
        const term = `t${ulid()}`;
        const pools = [
          // opened in the reverse of their key order
          await impl.openRoundIntake(`org-b${ulid()}`, term, 2, DEADLINE),
          await impl.openRoundIntake(`org-a${ulid()}`, term, 3, DEADLINE),
        ];
        return { id: term, pools };
      }
      const mine = async (id: string, minutes: number) =>
        (await pools.dueRounds(new Date(at(minutes)), 10_000))
          .filter((r) => r.id === id)
          .map((r) => r.status);

      it('records a round with its pools in key order, open until drawn', async () => {
        const { id, pools: refs } = await round();
        expect(await pools.getRound(ROUND_SERVICE, id)).toEqual({
          service: ROUND_SERVICE,
          id,
          deadline: DEADLINE,
          pools: [...refs].sort((a, b) => (`${a.org}#${a.pool}` < `${b.org}#${b.pool}` ? -1 : 1)),
          status: 'open',
        });
        expect(await pools.getRound(ROUND_SERVICE, `t${ulid()}`)).toBeNull();
        const [state] = (await pools.read([refs[0]!])).values();
        expect(state?.round).toEqual({ id, deadline: DEADLINE });
      });

      it('lists a round as due from its deadline', async () => {
        const { id } = await round();
        expect(await mine(id, 59)).toEqual([]);
        expect(await mine(id, 60)).toEqual(['open']);
      });

      it('lets one draw run at a time, and resumes a crashed draw with its seed after the lease', async () => {
        const { id } = await round();
        const started = await pools.startRound(ROUND_SERVICE, id, 'seed-1', new Date(at(61)));
        expect(started).toMatchObject({ status: 'allocating', seed: 'seed-1', startedAt: at(61) });
        await expect(pools.startRound(ROUND_SERVICE, id, 'seed-2', new Date(at(62)))).rejects.toMatchObject({
          code: 'ROUND_DRAW_IN_PROGRESS',
        });
        const resumed = await pools.startRound(ROUND_SERVICE, id, 'seed-3', new Date(at(72)));
        expect(resumed).toMatchObject({ status: 'allocating', seed: 'seed-1', startedAt: at(61) });
        expect(await mine(id, 72)).toEqual(['allocating']);
      });

      it('finishes a draw: the round and its pools are allocated, the pools flagged, no second draw', async () => {
        const { id, pools: refs } = await round();
        await pools.startRound(ROUND_SERVICE, id, 'seed-1', new Date(at(61)));
        await pools.finishRound(ROUND_SERVICE, id, { entrants: 7, placed: 5 }, new Date(at(63)));
        expect(await pools.getRound(ROUND_SERVICE, id)).toMatchObject({
          status: 'allocated',
          seed: 'seed-1',
          entrants: 7,
          placed: 5,
          allocatedAt: at(63),
        });
        const states = await pools.read(refs);
        expect([...states.values()].map((s) => s.round?.allocatedAt)).toEqual([at(63), at(63)]);
        const flagged = (await pools.duePools(new Date(at(63)), 10_000)).map((d) => d.pool.org);
        expect(flagged).toEqual(expect.arrayContaining(refs.map((r) => r.org)));
        expect(await mine(id, 10_000)).toEqual([]);
        const again = pools.startRound(ROUND_SERVICE, id, 'seed-2', new Date(at(100)));
        await expect(again).rejects.toBeInstanceOf(RoundDrawConflictError);
        await expect(again).rejects.toMatchObject({ code: 'ROUND_ALREADY_DRAWN' });
      });
    });

    describe('uniqueness', () => {
      it('lets one application at a time hold a value, and another once it is released', async () => {
        const value = `3303822025${ulid().slice(-8)}`;
        const claim: StoreEffect = { type: 'unique-claim', path: 'child.idNumber', value };
        const holder = await stored(application(), { effects: [claim] });
        const second = application();
        await expect(repo.create(submitted(second, { effects: [claim] }))).rejects.toBeInstanceOf(
          DuplicateApplicationError,
        );
        expect(await repo.get(second.id)).toBeNull();
        await repo.save(
          changed(
            holder,
            { status: 'withdrawn' },
            {
              events: ['withdrawn'],
              effects: [{ type: 'unique-release', path: 'child.idNumber', value }],
            },
          ),
          holder.version,
        );
        await repo.create(submitted(second, { effects: [claim] }));
        expect(await repo.get(second.id)).not.toBeNull();
      });
    });
  });
}
