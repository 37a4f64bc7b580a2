/**
 * Report reads as years accumulate (issue 17 item 5): five years (2021–2025) of synthetic
 * birth-registration events projected into daily and month rollup cells (the consumer's work),
 * the all-township cells written to DynamoDB Local, then
 *   - a one-year report (2025) and a one-year report not aligned to months,
 *   - a five-year monthly trend (2021–2025, groupBy=month),
 * each read from month rollups (+ partial-month days) and, for comparison, from daily cells only;
 * against a Scan of the event items (measured at BENCH_SCAN_EVENTS event items written to
 * DynamoDB Local, and modelled at the full size at the measured Scan rate, as in
 * analytics.bench.ts: writing 1M items to DynamoDB Local takes longer than the bench may).
 *
 *   BENCH_EVENTS (default 1,000,000)  BENCH_SCAN_EVENTS (default 50,000)
 * Run: npx tsx bench/report-reads.bench.ts → bench/results/report-reads.json and a table.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '#adapters/dynamodb/client';
import { keys } from '#adapters/dynamodb/keys';
import { cellItem, DynamoStatsStore } from '#adapters/dynamodb/stats-repository';
import { createTableInput } from '#adapters/dynamodb/table-schema';
import { ALL_TOWNSHIPS } from '#core/analytics/cells';
import { contributionsOf } from '#core/analytics/consumer';
import type { CellQuery } from '#core/analytics/ports';
import { syntheticCases } from '#core/analytics/synthetic';
import type { DomainEvent } from '#core/engine/types';
import { townships } from '#core/reference/leqing';
import { type ProcessingTimesQuery, processingTimesReport } from '#core/reports/processing-times';
import { birthRegistration } from '#services/birth-registration/definition';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { MemoryStatsStore } from '../tests/support/memory-stats-store.ts';
import { table, writeResult } from './support.ts';

const DEF = birthRegistration;
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const SCAN_EVENTS = Number(process.env.BENCH_SCAN_EVENTS ?? 50_000);
const EVENTS_PER_CASE = 21.8;
const REPEATS = 3;
const TOWNSHIPS = townships.map((t) => t.id);

async function makeTable(endpoint: string, name: string) {
  const ddb = new DynamoDBClient({
    endpoint,
    region: 'ap-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ddb.send(new CreateTableCommand({ ...createTableInput(name), StreamSpecification: undefined }));
  ddb.destroy();
  return makeDocumentClient(endpoint);
}

async function batchWrite(doc: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      let batch = items.slice(next, next + 25).map((Item) => ({ PutRequest: { Item } }));
      next += 25;
      while (batch.length > 0) {
        const res = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: batch } }));
        batch = (res.UnprocessedItems?.[tableName] ?? []) as typeof batch;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

function* eventsOf(cases: number, seed: number) {
  for (const c of syntheticCases(DEF, {
    cases,
    seed,
    townships: TOWNSHIPS,
    start: '2021-01-01T00:00:00+08:00',
    days: 5 * 365,
  })) {
    yield* c.events;
  }
}

/** A store that reads daily cells only (the reads before month rollups), for comparison. */
class DailyOnly extends DynamoStatsStore {
  override readCells(q: CellQuery) {
    return super.readCells({ ...q, months: false });
  }
}

async function measure(make: () => DynamoStatsStore, q: ProcessingTimesQuery & { maxDays?: number }) {
  const times: number[] = [];
  let store = make();
  for (let i = 0; i < REPEATS; i++) {
    store = make();
    const t = performance.now();
    await processingTimesReport(store, DEF, q);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return {
    ms: Number((times[Math.floor(times.length / 2)] as number).toFixed(1)),
    queries: store.reads.queries,
    itemsRead: store.reads.items,
    capacityUnits: store.reads.capacityUnits,
  };
}

const started = performance.now();
const ddb = await startDynamoDbLocal({});
try {
  // ---- the Scan rate, measured on event items ----
  const scanEvents = [...eventsOf(Math.round(SCAN_EVENTS / EVENTS_PER_CASE), 7)];
  const scanDoc = await makeTable(ddb.endpoint, 'bench-reads-scan');
  await batchWrite(
    scanDoc,
    'bench-reads-scan',
    scanEvents.map((event) => ({ ...keys.event(event.appId, event.at, 1, event.seq), type: 'event', event })),
  );
  let t = performance.now();
  let scanned = 0;
  let scanCapacity = 0;
  await Promise.all(
    [0, 1, 2, 3].map(async (segment) => {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await scanDoc.send(
          new ScanCommand({
            TableName: 'bench-reads-scan',
            Segment: segment,
            TotalSegments: 4,
            ReturnConsumedCapacity: 'TOTAL',
            ExclusiveStartKey: start,
          }),
        );
        scanned += page.ScannedCount ?? 0;
        scanCapacity += page.ConsumedCapacity?.CapacityUnits ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
    }),
  );
  const scanMs = performance.now() - t;
  console.error(`[bench] scanned ${scanned} items in ${(scanMs / 1000).toFixed(1)} s`);

  // ---- five years of events → cells (the consumer's projection), all-township cells stored ----
  const memory = new MemoryStatsStore();
  const slice: DomainEvent[] = [];
  let n = 0;
  const flush = () => {
    memory.applySync(
      contributionsOf(slice).map((c) => ({
        ...c,
        updates: c.updates.filter((u) => u.key.township === ALL_TOWNSHIPS),
      })),
    );
    n += slice.length;
    slice.length = 0;
  };
  for (const e of eventsOf(Math.round(EVENTS / EVENTS_PER_CASE), 1000)) {
    slice.push(e);
    if (slice.length >= 5000) flush();
  }
  flush();
  const doc = await makeTable(ddb.endpoint, 'bench-reads');
  const items = memory
    .all()
    .map((c) => ({ ...keys.statsCell(1, c, true), ...cellItem(c, c.stats), gen: 1, version: 1 }));
  t = performance.now();
  await batchWrite(doc, 'bench-reads', items);
  console.error(
    `[bench] ${n} events → ${items.length} cells written in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  const monthly = () => new DynamoStatsStore(doc, 'bench-reads');
  const daily = () => new DailyOnly(doc, 'bench-reads');
  const reports: Array<{ name: string; q: ProcessingTimesQuery }> = [
    { name: 'one year (2025)', q: { from: '2025-01-01', to: '2025-12-31' } },
    { name: 'one year, not month-aligned', q: { from: '2024-07-17', to: '2025-07-16' } },
    { name: 'five-year monthly trend', q: { from: '2021-01-01', to: '2025-12-31', groupBy: 'month' } },
  ];
  const modelledScanMs = (scanMs / scanned) * n;
  const modelledScanCapacity = (scanCapacity / scanned) * n;
  const results = [];
  const rows: Array<Record<string, string | number>> = [];
  for (const r of reports) {
    const withMonths = await measure(monthly, r.q);
    const withDays = await measure(daily, r.q);
    results.push({ report: r.name, query: r.q, monthRollups: withMonths, dailyCellsOnly: withDays });
    rows.push({
      report: r.name,
      'items (months)': withMonths.itemsRead,
      'ms (months)': withMonths.ms,
      'items (days only)': withDays.itemsRead,
      'ms (days only)': withDays.ms,
      'scan items': n,
      'scan ms (modelled)': Math.round(modelledScanMs),
    });
  }
  const seconds = (performance.now() - started) / 1000;
  writeResult('report-reads', {
    service: DEF.id,
    events: n,
    cellsStored: items.length,
    scan: {
      mode: `DynamoDB Local Scan (4 segments) of ${scanned} event items, modelled at ${n} items`,
      measured: { items: scanned, ms: scanMs, capacityUnits: scanCapacity },
      modelled: { items: n, ms: modelledScanMs, capacityUnits: modelledScanCapacity },
    },
    reports: results,
    seconds,
  });
  table(rows);
  console.log(`report-reads bench: ${seconds.toFixed(0)} s; results in bench/results/report-reads.json`);
} finally {
  await ddb.stop();
}
