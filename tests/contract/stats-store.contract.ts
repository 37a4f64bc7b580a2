/**
 * The contract of the analytics StatsStore (functions/core/analytics/ports.ts): each event's
 * figures are added exactly once however often they are applied, into one cell per service ×
 * day × step × agency × township, and read back by day range and township scope. One suite, run
 * against the in-memory fake (unit project) and the DynamoDB store on DynamoDB Local
 * (integration project). Every test owns its service id, so the suite can share one store.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_TOWNSHIPS,
  type Cell,
  type CellKey,
  type Contribution,
  type Counter,
} from '#core/analytics/cells';
import type { CellQuery, StatsStore } from '#core/analytics/ports';
import { Sketch } from '#core/analytics/sketch';

export interface StatsStoreUnderTest {
  store: StatsStore;
  drop?: () => Promise<void>;
}

const freshService = () => `svc-${ulid().toLowerCase()}`;

/** One event's contribution: the same figures in its township's cell and in the rollup. */
function contribution(
  service: string,
  day: string,
  counters: Partial<Record<Counter, number>>,
  opts: { township?: string; step?: string; waitSeconds?: number[]; eventId?: string } = {},
): Contribution {
  const key = (township: string): CellKey => ({
    service,
    day,
    step: opts.step ?? 'review',
    agency: 'health',
    township,
  });
  const stats = () => ({
    counters: { ...counters },
    sketches: opts.waitSeconds
      ? { wait: opts.waitSeconds.reduce((s, v) => s.add(v), new Sketch()) }
      : ({} as Record<string, never>),
  });
  return {
    eventId: opts.eventId ?? ulid(),
    updates: [
      { key: key(opts.township ?? 'liushi'), stats: stats() },
      { key: key(ALL_TOWNSHIPS), stats: stats() },
    ],
  };
}

/** Cells as comparable values: identity, the counters that are set, each sketch's count. */
function plain(cells: Cell[]) {
  return cells
    .map((c) => ({
      day: c.day,
      step: c.step,
      agency: c.agency,
      township: c.township,
      counters: Object.fromEntries(Object.entries(c.stats.counters).filter(([, n]) => n)),
      counts: Object.fromEntries(
        Object.entries(c.stats.sketches).flatMap(([m, s]) => (s && !s.isEmpty() ? [[m, s.count]] : [])),
      ),
    }))
    .sort((a, b) => `${a.day}${a.township}${a.step}`.localeCompare(`${b.day}${b.township}${b.step}`));
}

export function describeStatsStoreContract(name: string, make: () => Promise<StatsStoreUnderTest>): void {
  describe(`StatsStore contract (${name})`, () => {
    let impl: StatsStoreUnderTest;
    let store: StatsStore;
    beforeAll(async () => {
      impl = await make();
      store = impl.store;
    });
    afterAll(async () => {
      await impl.drop?.();
    });

    const read = async (q: CellQuery) => plain(await store.readCells(q));

    it('adds the figures of several events into one cell per key', async () => {
      const service = freshService();
      const result = await store.apply([
        contribution(service, '2026-03-02', { decided: 1, approved: 1 }, { waitSeconds: [60, 120] }),
        contribution(service, '2026-03-02', { decided: 1, rejected: 1 }, { waitSeconds: [30] }),
      ]);
      expect(result).toEqual({ applied: 2, duplicates: 0, failed: [] });
      expect(await read({ service, from: '2026-03-02', to: '2026-03-02' })).toEqual([
        {
          day: '2026-03-02',
          step: 'review',
          agency: 'health',
          township: ALL_TOWNSHIPS,
          counters: { decided: 2, approved: 1, rejected: 1 },
          counts: { wait: 3 },
        },
      ]);
    });

    it('counts an event once however often it is applied', async () => {
      const service = freshService();
      const events = [
        contribution(service, '2026-03-02', { submitted: 1 }),
        contribution(service, '2026-03-03', { submitted: 1 }),
      ];
      await store.apply(events);
      const before = await read({ service, from: '2026-03-01', to: '2026-03-31' });
      const again = await store.apply([...events].reverse());
      expect(again).toEqual({ applied: 0, duplicates: 2, failed: [] });
      const mixed = await store.apply([events[0]!, contribution(service, '2026-03-02', { submitted: 1 })]);
      expect(mixed).toEqual({ applied: 1, duplicates: 1, failed: [] });
      const after = await read({ service, from: '2026-03-01', to: '2026-03-31' });
      expect(after.map((c) => c.counters.submitted)).toEqual([
        (before[0]?.counters.submitted ?? 0) + 1,
        before[1]?.counters.submitted,
      ]);
    });

    it('counts an event delivered twice in one batch once', async () => {
      const service = freshService();
      const event = contribution(service, '2026-03-04', { submitted: 1 });
      expect(await store.apply([event, event])).toEqual({ applied: 1, duplicates: 1, failed: [] });
      expect((await read({ service, from: '2026-03-04', to: '2026-03-04' })).map((c) => c.counters)).toEqual([
        { submitted: 1 },
      ]);
    });

    it('counts neither applied nor duplicate an event that changes no figure', async () => {
      const service = freshService();
      expect(await store.apply([{ eventId: ulid(), updates: [] }])).toEqual({
        applied: 0,
        duplicates: 0,
        failed: [],
      });
      expect(await read({ service, from: '2026-01-01', to: '2026-12-31' })).toEqual([]);
    });

    it('reads the days of the range, both ends included, across a new year', async () => {
      const service = freshService();
      await store.apply(
        ['2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02'].map((day) =>
          contribution(service, day, { submitted: 1 }),
        ),
      );
      expect((await read({ service, from: '2025-12-31', to: '2026-01-01' })).map((c) => c.day)).toEqual([
        '2025-12-31',
        '2026-01-01',
      ]);
      expect(await read({ service: freshService(), from: '2025-12-31', to: '2026-01-01' })).toEqual([]);
    });

    it("reads the rollup, one township's cells, or every township's own cells", async () => {
      const service = freshService();
      await store.apply([
        contribution(service, '2026-04-01', { submitted: 1 }, { township: 'liushi' }),
        contribution(service, '2026-04-01', { submitted: 2 }, { township: 'lecheng' }),
      ]);
      const range = { service, from: '2026-04-01', to: '2026-04-01' };
      expect((await read(range)).map((c) => [c.township, c.counters.submitted])).toEqual([
        [ALL_TOWNSHIPS, 3],
      ]);
      expect(
        (await read({ ...range, township: 'lecheng' })).map((c) => [c.township, c.counters.submitted]),
      ).toEqual([['lecheng', 2]]);
      expect(
        (await read({ ...range, township: { all: true } })).map((c) => [c.township, c.counters.submitted]),
      ).toEqual([
        ['lecheng', 2],
        ['liushi', 1],
      ]);
    });

    it('reads the same counters when asked for counters only', async () => {
      const service = freshService();
      await store.apply([
        contribution(service, '2026-05-01', { decided: 1, withinSla: 1 }, { waitSeconds: [5] }),
      ]);
      const range = { service, from: '2026-05-01', to: '2026-05-01' };
      const counters = (await read({ ...range, countersOnly: true })).map((c) => c.counters);
      expect(counters).toEqual((await read(range)).map((c) => c.counters));
    });
  });
}
