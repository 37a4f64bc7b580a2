/**
 * The statistics store path on DynamoDB Local: real DynamoDBStreamEvent batches through the
 * metrics handler (functions/streams/metrics.ts), redelivery and concurrent delivery, figures
 * checked against the durations in the events, the backfill while events keep arriving, and the
 * report routes through the HTTP handler.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFieldCipher } from '#adapters/crypto/field-cipher';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { keys } from '#adapters/dynamodb/keys';
import { DynamoStatsStore } from '#adapters/dynamodb/stats-repository';
import { type Cell, cellId } from '#core/analytics/cells';
import { contributionsOf } from '#core/analytics/consumer';
import type { StatsStore } from '#core/analytics/ports';
import { exactQuantile, RELATIVE_ACCURACY } from '#core/analytics/sketch';
import { syntheticCases } from '#core/analytics/synthetic';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import type { DomainEvent } from '#core/engine/types';
import { AnalyticsReports } from '#core/reports/analytics-reports';
import { birthRegistration } from '#services/birth-registration/definition';
import { backfillStats } from '../../scripts/backfill-stats.ts';
import { auditor, birthDeciders, parentA } from '../support/actors.ts';
import { birthForm } from '../support/forms.ts';
import { setupHandlers } from '../support/invoke.ts';
import { MemoryStatsStore } from '../support/memory-stats-store.ts';
import { validIdsIn } from '../support/pii-scan.ts';

type Handler = (e: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

let env: Awaited<ReturnType<typeof setupHandlers>>;
let handler: Handler;
let store: DynamoStatsStore;
let seqNo = 1000;

/** Event items as a DynamoDB Streams batch, exactly as Lambda delivers it. */
function streamBatch(events: DomainEvent[]): DynamoDBStreamEvent {
  return {
    Records: events.map((event) => {
      const item = { ...keys.event(event.appId, event.at, 1, event.seq), type: 'event', event };
      return {
        eventID: String(++seqNo),
        eventName: 'INSERT' as const,
        eventSource: 'aws:dynamodb',
        awsRegion: 'ap-east-1',
        dynamodb: {
          Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
          NewImage: marshall(item, { removeUndefinedValues: true }) as never,
          SequenceNumber: String(seqNo),
          StreamViewType: 'NEW_AND_OLD_IMAGES' as const,
        },
      };
    }),
  };
}

/** Every stats cell and config item of the table, as stored (markers excluded). */
async function statsSnapshot(): Promise<string> {
  const items = (await env.table.scanAll()).filter((i) => String(i.pk).startsWith('STATS#g'));
  items.sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
  return JSON.stringify(
    items.map((i) => Object.fromEntries(Object.entries(i).sort(([a], [b]) => a.localeCompare(b)))),
  );
}

/** Cells of both scopes in a canonical form (sums to the millisecond), to compare exactly. */
async function cellsOf(s: StatsStore, from: string, to: string) {
  const out = new Map<string, unknown>();
  const all: Cell[] = [
    ...(await s.readCells({ service: birthRegistration.id, from, to })),
    ...(await s.readCells({ service: birthRegistration.id, from, to, township: { all: true } })),
  ];
  for (const c of all) {
    out.set(cellId(c), {
      counters: Object.fromEntries(Object.entries(c.stats.counters).filter(([, n]) => n)),
      sketches: Object.fromEntries(
        Object.entries(c.stats.sketches)
          .filter(([, k]) => k && !k.isEmpty())
          .map(([m, k]) => [m, { bins: [...k!.bins].sort(), zero: k!.zero, sum: Math.round(k!.sum * 1000) }]),
      ),
    });
  }
  return out;
}

async function putEventItems(events: DomainEvent[]) {
  for (let i = 0; i < events.length; i += 25) {
    await env.table.doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [env.table.tableName]: events.slice(i, i + 25).map((event) => ({
            PutRequest: {
              Item: { ...keys.event(event.appId, event.at, 1, event.seq), type: 'event', event },
            },
          })),
        },
      }),
    );
  }
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

beforeAll(async () => {
  env = await setupHandlers();
  process.env.STATS_CONFIG_TTL_MS = '0';
  handler = (await import('../../functions/streams/metrics.ts')).handler;
  store = new DynamoStatsStore(env.table.doc, env.table.tableName, { configTtlMs: 0 });
});
afterAll(() => env.table.drop());

describe('metrics consumer on DynamoDB Local: real cases through the engine', () => {
  const events: DomainEvent[] = [];
  let from = '';
  let to = '';

  beforeAll(async () => {
    // Drive four birth cases through the real engine and repository with a clock we move, so
    // the events carry known, different durations; one case asks the parent for information.
    let now = Date.now();
    const clock = { now: () => new Date(now) };
    const repo = new DynamoApplicationRepository(
      env.table.doc,
      env.table.tableName,
      localFieldCipher(process.env.DATA_KEY_FILE as string),
    );
    const service = new ApplicationService(repo, {
      clock,
      ids: { newId: (await import('ulid')).ulid },
      calendar: new WorkingCalendar(),
    });
    from = new Date(now + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
    for (let n = 0; n < 4; n++) {
      const form = birthForm(new Date(now));
      const { view } = await service.submit(parentA, { service: 'birth-registration', form });
      for (let round = 0; round < 10; round++) {
        const app = await service.get(parentA, view.id);
        if (app.status !== 'in-progress' && app.status !== 'info-requested') break;
        for (const s of app.steps.filter((x) => x.status === 'open')) {
          const d = birthDeciders[s.step]!;
          now += (17 + 13 * n) * 60_000; // queue wait
          await service.claim(d.actor, view.id, s.step);
          now += (5 + 7 * n + round) * 60_000; // work
          if (n === 2 && s.step === 'hukou') {
            await service.decide(d.actor, view.id, s.step, {
              decision: 'request-info',
              fields: ['delivery.address'],
              note: '请补充单元号',
            });
            now += 3 * 3600_000; // the parent takes three hours
            await service.resubmit(parentA, view.id, {
              ...form,
              delivery: { ...form.delivery, address: `${form.delivery.address} 补` },
            });
            now += 10 * 60_000;
          }
          await service.decide(d.actor, view.id, s.step, { decision: 'approve', outputs: d.outputs });
        }
      }
      events.push(...(await repo.listEvents(view.id)));
      now += 3600_000;
    }
    to = new Date(now + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
  });

  it('counts every decision once and reports the durations visible in the events', async () => {
    const res = await handler(streamBatch(events));
    expect(res.batchItemFailures).toEqual([]);
    const reports = new AnalyticsReports({
      stats: store,
      openCases: store,
      clock: { now: () => new Date() },
    });
    const r = await reports.processingTimes(auditor, { service: 'birth-registration', from, to });
    for (const row of r.steps) {
      const decided = events.filter((e) => e.step === row.step && e.type === 'step-approved');
      expect(row.count).toBe(decided.length);
      for (const [metric, field] of [
        ['total', 'totalSeconds'],
        ['wait', 'waitSeconds'],
        ['work', 'workSeconds'],
        ['paused', 'pausedSeconds'],
      ] as const) {
        const exact = decided.map((e) => Number(e.data?.[field])).sort((a, b) => a - b);
        const got = metric === 'total' ? row : row[metric];
        for (const [name, q] of [
          ['p50', 0.5],
          ['p90', 0.9],
          ['p95', 0.95],
          ['p99', 0.99],
        ] as const) {
          const want = exactQuantile(exact, q);
          expect(Math.abs(got[name] - want), `${row.step} ${metric} ${name}`).toBeLessThanOrEqual(
            RELATIVE_ACCURACY * want + 1e-9,
          );
        }
      }
    }
    const settled = events.filter((e) => e.type === 'completed');
    expect(r.overall.count).toBe(settled.length);
    const totals = settled.map((e) => Number(e.data?.totalSeconds)).sort((a, b) => a - b);
    expect(Math.abs(r.overall.p50 - exactQuantile(totals, 0.5))).toBeLessThanOrEqual(
      RELATIVE_ACCURACY * exactQuantile(totals, 0.5),
    );
    const hukou = r.steps.find((s) => s.step === 'hukou')!;
    expect(hukou.requestInfo).toBe(1);
    expect(hukou.firstTimeRightRate).toBe(3 / 4);
    expect(hukou.paused.count).toBe(4);
    expect(hukou.paused.mean).toBeCloseTo((3 * 3600) / 4, 3);
  });

  it('changes no figure when the same batch is redelivered, reordered or delivered twice at once', async () => {
    const before = await statsSnapshot();
    expect(before).not.toBe('[]');
    expect((await handler(streamBatch(events))).batchItemFailures).toEqual([]);
    expect(await statsSnapshot()).toBe(before);
    const shuffled = [...events].reverse();
    const results = await Promise.all([
      handler(streamBatch(shuffled.slice(0, 40))),
      handler(streamBatch(events)),
      handler(streamBatch(shuffled)),
    ]);
    expect(results.flatMap((r) => r.batchItemFailures)).toEqual([]);
    expect(await statsSnapshot()).toBe(before);
  });
});

describe('metrics consumer and backfill on DynamoDB Local: synthetic load', () => {
  const townships = ['liushi', 'lecheng', 'hongqiao'];
  const first = [
    ...syntheticCases(birthRegistration, {
      cases: 100,
      seed: 7,
      days: 60,
      townships,
      start: '2024-12-01T00:00:00+08:00',
    }),
  ].flatMap((c) => c.events);
  const later = [
    ...syntheticCases(birthRegistration, {
      cases: 40,
      seed: 8,
      days: 30,
      townships,
      start: '2025-01-10T00:00:00+08:00',
    }),
  ].flatMap((c) => c.events.map((e) => ({ ...e, eventId: `L-${e.eventId}`, appId: `L${e.appId}` })));
  const range = ['2024-11-30', '2025-12-31'] as const;

  it('stores exactly the in-memory projection, across batches delivered by two consumers at once', async () => {
    const batches = chunks(first, 100);
    // two "consumers" deliver overlapping halves concurrently: every batch arrives twice
    const results = await Promise.all([
      (async () => {
        const out = [];
        for (const b of batches) out.push(await handler(streamBatch(b)));
        return out;
      })(),
      (async () => {
        const out = [];
        for (const b of [...batches].reverse()) out.push(await handler(streamBatch(b)));
        return out;
      })(),
    ]);
    expect(results.flat().flatMap((r) => r.batchItemFailures)).toEqual([]);
    const memory = new MemoryStatsStore();
    memory.applySync(contributionsOf(first));
    const stored = await cellsOf(store, ...range);
    const expected = await cellsOf(memory, ...range);
    expect(stored.size).toBe(expected.size);
    expect(Object.fromEntries(stored)).toEqual(Object.fromEntries(expected));
  }, 120_000);

  it('rebuilds a new generation from the event items while new events keep arriving, counting each once', async () => {
    await putEventItems(first);
    const genBefore = (await store.readConfig(true)).active;
    const logs: string[] = [];
    // live events arrive (and are written as items) while the backfill runs
    const live = (async () => {
      for (const b of chunks(later, 50)) {
        await putEventItems(b);
        const r = await handler(streamBatch(b));
        expect(r.batchItemFailures).toEqual([]);
      }
    })();
    const result = await backfillStats({
      doc: env.table.doc,
      tableName: env.table.tableName,
      settleMs: 100,
      segments: 3,
      log: (l) => logs.push(l),
    });
    await live;
    expect(result.generation).toBe(genBefore + 1);
    expect((await store.readConfig(true)).active).toBe(genBefore + 1);
    expect(logs.some((l) => l.includes('events/s'))).toBe(true);
    // the first describe's real cases are event items too: they are part of the rebuild
    const memory = new MemoryStatsStore();
    const items = (await env.table.scanAll()).filter((i) => i.type === 'event');
    memory.applySync(contributionsOf(items.map((i) => i.event as DomainEvent)));
    expect(Object.fromEntries(await cellsOf(store, '2024-11-30', '2030-12-31'))).toEqual(
      Object.fromEntries(await cellsOf(memory, '2024-11-30', '2030-12-31')),
    );
    // and delivering everything again afterwards still changes nothing
    const before = await statsSnapshot();
    for (const b of chunks([...first, ...later], 100)) await handler(streamBatch(b));
    expect(await statsSnapshot()).toBe(before);
  }, 120_000);
});

describe('report routes through the HTTP handler', () => {
  const query = { service: 'birth-registration', from: '2024-12-01', to: '2025-03-31' };

  it('answers auditors with JSON and CSV, refuses other roles, and rejects bad periods with 400', async () => {
    const who = { sub: 'auditor-1', role: 'auditor' };
    const json = await env.invoke('GET /reports/processing-times', who, {
      query: { ...query, groupBy: 'township' },
    });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ service: 'birth-registration', unit: 'seconds', groupBy: 'township' });
    expect(json.body.steps.length).toBeGreaterThan(0);
    expect(json.body.overall).toHaveProperty('firstTimeRightRate');
    const csv = await env.invoke('GET /reports/processing-times', who, {
      query: { ...query, format: 'csv' },
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(String(csv.body).split('\n')[0]).toMatch(/^step,count,p50_seconds/);
    for (const route of ['GET /reports/sla-breaches', 'GET /reports/throughput']) {
      expect((await env.invoke(route, who, { query })).status).toBe(200);
      const c = await env.invoke(
        route,
        { sub: 'admin-1', role: 'admin' },
        { query: { ...query, format: 'csv' } },
      );
      expect(c.headers['content-type']).toContain('text/csv');
    }
    // one case left open: counted by status and age, its open steps per step, no case data
    const repo = new DynamoApplicationRepository(
      env.table.doc,
      env.table.tableName,
      localFieldCipher(process.env.DATA_KEY_FILE as string),
    );
    const service = new ApplicationService(repo, {
      clock: { now: () => new Date() },
      ids: { newId: (await import('ulid')).ulid },
      calendar: new WorkingCalendar(),
    });
    await service.submit(parentA, { service: 'birth-registration', form: birthForm() });
    const open = await env.invoke('GET /reports/open-cases', who, {
      query: { service: 'birth-registration', groupBy: 'township' },
    });
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ total: 1, overdue: 0, cases: [{ key: 'in-progress', open: 1 }] });
    expect(open.body.steps.map((r: { key: string }) => r.key)).toEqual(['birth-certificate', 'vaccination']);
    expect(open.body.townships).toEqual([expect.objectContaining({ key: 'liushi', open: 1 })]);
    // no name, e-mail or ID number (digits alone could come from an age in seconds)
    expect(JSON.stringify(open.body)).not.toMatch(/王|@example/);
    expect(validIdsIn(JSON.stringify(open.body))).toEqual([]);
    const caseworker = { sub: 'cw-health', role: 'caseworker', agency: 'health' };
    expect((await env.invoke('GET /reports/throughput', caseworker, { query })).status).toBe(403);
    const reversed = await env.invoke('GET /reports/processing-times', who, {
      query: { ...query, from: '2025-04-01' },
    });
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.fields[0].path).toBe('query.to');
    const unknownParam = await env.invoke('GET /reports/throughput', who, { query: { ...query, name: 'x' } });
    expect(unknownParam.status).toBe(400);
  });
});
