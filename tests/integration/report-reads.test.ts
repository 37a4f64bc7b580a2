/**
 * Reports stay cheap as years accumulate (issue 17 item 5): with the month rollup cells a
 * one-year report reads at most 400 items and a five-year monthly trend at most 1,000, with
 * Query only (the store has no Scan), counted by the DynamoDB store itself on DynamoDB Local;
 * and the figures equal those merged from the daily cells.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamodb/keys';
import { cellItem, DynamoStatsStore } from '#adapters/dynamodb/stats-repository';
import { ALL_TOWNSHIPS, isMonthCell } from '#core/analytics/cells';
import { contributionsOf } from '#core/analytics/consumer';
import { syntheticCases } from '#core/analytics/synthetic';
import { processingTimesReport } from '#core/reports/processing-times';
import { monthSpans } from '#core/reports/range';
import { birthRegistration } from '#services/birth-registration/definition';
import { freshTable } from '../support/dynamo.ts';
import { MemoryStatsStore } from '../support/memory-stats-store.ts';

let table: Awaited<ReturnType<typeof freshTable>>;

/** Figures with float sums rounded (merging months or days adds the same numbers in another order). */
const rounded = (x: unknown) =>
  JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(9)) : v)));
const memory = new MemoryStatsStore();

beforeAll(async () => {
  table = await freshTable('reads');
  // five years of birth cases (2021–2025), a few a day, every township
  const events = [];
  for (const c of syntheticCases(birthRegistration, {
    cases: 4000,
    seed: 17,
    townships: ['liushi', 'lecheng', 'hongqiao'],
    start: '2021-01-01T00:00:00+08:00',
    days: 5 * 365,
  })) {
    events.push(...c.events);
  }
  memory.applySync(contributionsOf(events));
  // the all-township cells the consumer would have stored: every month cell, and the daily
  // cells of 2025 (enough for the reports below; the others would only make writing slower)
  const items = memory
    .all()
    .filter((c) => c.township === ALL_TOWNSHIPS && (isMonthCell(c) || c.day.startsWith('2025-')))
    .map((c) => ({ ...keys.statsCell(1, c, true), ...cellItem(c, c.stats), gen: 1, version: 1 }));
  for (let i = 0; i < items.length; i += 25) {
    let batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (batch.length > 0) {
      const res = await table.doc.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: batch } }));
      batch = (res.UnprocessedItems?.[table.tableName] ?? []) as typeof batch;
    }
  }
}, 120_000);

afterAll(async () => {
  await table?.drop();
});

describe('month rollups keep reports cheap', () => {
  it('cuts a range into partial-month days and whole months', () => {
    expect(monthSpans('2025-01-01', '2025-12-31')).toEqual([
      { from: '2025-01', to: '2025-12', months: true },
    ]);
    expect(monthSpans('2025-03-15', '2025-06-10')).toEqual([
      { from: '2025-03-15', to: '2025-03-31', months: false },
      { from: '2025-04', to: '2025-05', months: true },
      { from: '2025-06-01', to: '2025-06-10', months: false },
    ]);
    expect(monthSpans('2024-02-01', '2024-02-29')).toEqual([
      { from: '2024-02', to: '2024-02', months: true },
    ]);
    expect(monthSpans('2025-03-02', '2025-03-30')).toEqual([
      { from: '2025-03-02', to: '2025-03-30', months: false },
    ]);
    expect(monthSpans('2025-12-20', '2026-01-31')).toEqual([
      { from: '2025-12-20', to: '2025-12-31', months: false },
      { from: '2026-01', to: '2026-01', months: true },
    ]);
  });

  it('a one-year report reads at most 400 items (Query only) and equals the daily figures', async () => {
    const store = new DynamoStatsStore(table.doc, table.tableName);
    const report = await processingTimesReport(store, birthRegistration, {
      from: '2025-01-01',
      to: '2025-12-31',
    });
    expect(store.reads.items).toBeLessThanOrEqual(400);
    expect(store.reads.items).toBeGreaterThan(0);
    // the same report from the daily cells only (a week trend reads days)
    const daily = await processingTimesReport(memory, birthRegistration, {
      from: '2025-01-01',
      to: '2025-12-31',
      groupBy: 'week',
    });
    expect(report.overall.count).toBeGreaterThan(100);
    expect(rounded(report.steps)).toEqual(rounded(daily.steps));
    const { groups: _g, groupBy: _b, ...overallDaily } = daily;
    const { groups: _h, groupBy: _c, ...overallMonthly } = report;
    expect(rounded(overallMonthly)).toEqual(rounded(overallDaily));
  });

  it('a year not aligned to months still reads at most 400 items', async () => {
    const store = new DynamoStatsStore(table.doc, table.tableName);
    const report = await processingTimesReport(store, birthRegistration, {
      from: '2025-01-17',
      to: '2025-12-14',
    });
    expect(store.reads.items).toBeLessThanOrEqual(400);
    const daily = await processingTimesReport(memory, birthRegistration, {
      from: '2025-01-17',
      to: '2025-12-14',
      groupBy: 'day',
    });
    expect(rounded(report.steps)).toEqual(rounded(daily.steps));
  });

  it('a five-year monthly trend reads at most 1,000 items, one row per month', async () => {
    const store = new DynamoStatsStore(table.doc, table.tableName);
    const report = await processingTimesReport(store, birthRegistration, {
      from: '2021-01-01',
      to: '2025-12-31',
      groupBy: 'month',
    });
    expect(store.reads.items).toBeLessThanOrEqual(1000);
    expect(report.groups?.length).toBeGreaterThanOrEqual(59);
    expect(report.groups?.[0]?.period).toBe('2021-01');
    expect(report.groups?.at(-1)?.period).toBe('2025-12');
    // a month's row equals that month merged from the memory store's month cells
    const march = await processingTimesReport(memory, birthRegistration, {
      from: '2023-03-01',
      to: '2023-03-31',
    });
    const row = report.groups?.find((g) => g.period === '2023-03');
    expect(row?.count).toBe(march.overall.count);
    expect(row?.p90).toBe(march.overall.p90);
  });

  it('refuses a daily trend over more than three years, allows a monthly one over five', async () => {
    await expect(
      processingTimesReport(memory, birthRegistration, {
        from: '2021-01-01',
        to: '2025-12-31',
        groupBy: 'week',
      }),
    ).rejects.toThrow();
  });
});
