/**
 * Analytics benchmark: a one-year processing-times report (365 days × every step of
 * birth-registration) answered by merging daily DDSketch cells read with Query only, beside a
 * baseline that computes the same figures exactly from the raw events, in the same run.
 *
 *   100k events: the raw event items are written to DynamoDB Local and the baseline Scans them
 *                (4 parallel segments) and sorts; the sketch path Queries the daily cells.
 *   1M events:   synthesized in memory (writing 1M items to DynamoDB Local would take longer
 *                than the whole bench may): the baseline's compute is measured on the stream of
 *                events, its Scan time modelled from the Scan throughput measured at 100k; the
 *                sketch path writes the pre-aggregated daily cells (what the consumer would have
 *                stored; tests/integration/analytics.test.ts proves the two equal) and Queries
 *                them from DynamoDB Local, as at 100k.
 *
 * Both paths must agree: every sketch percentile within 1% of the baseline's exact value.
 * Run: npx tsx bench/analytics.bench.ts  →  bench/results/analytics.json and a table.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '#adapters/dynamodb/client';
import { keys } from '#adapters/dynamodb/keys';
import { cellItem, DynamoStatsStore } from '#adapters/dynamodb/stats-repository';
import { createTableInput } from '#adapters/dynamodb/table-schema';
import { ALL_TOWNSHIPS, chinaDay } from '#core/analytics/cells';
import { contributionsOf } from '#core/analytics/consumer';
import { exactQuantile } from '#core/analytics/sketch';
import { syntheticCases } from '#core/analytics/synthetic';
import type { DomainEvent } from '#core/engine/types';
import { townships } from '#core/reference/leqing';
import { type ProcessingTimesReport, processingTimesReport } from '#core/reports/processing-times';
import { birthRegistration } from '#services/birth-registration/definition';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { MemoryStatsStore } from '../tests/support/memory-stats-store.ts';
import { table, writeResult } from './support.ts';

const DEF = birthRegistration;
const FROM = '2025-01-01';
const TO = '2025-12-31';
const TOWNSHIPS = townships.map((t) => t.id);
const QS = [0.5, 0.9, 0.95, 0.99] as const;
const METRIC_FIELDS = {
  total: 'totalSeconds',
  wait: 'waitSeconds',
  work: 'workSeconds',
  paused: 'pausedSeconds',
};
/** about 22 events per case with every event type the engine emits for a birth case */
const EVENTS_PER_CASE = 21.8;
const REPEATS = 3;
const HUMAN_STEPS = DEF.order.filter((s) => DEF.steps[s]?.kind === 'human').length;

type Figures = Map<string, number[]>;

/** The baseline: exact figures from raw events (sort per step and metric). */
class ExactBaseline {
  private readonly samples = new Map<string, number[]>();
  counted = 0;
  add(e: DomainEvent) {
    const day = chinaDay(e.at);
    if (!day || day < FROM || day > TO) return;
    const data = (e.data ?? {}) as Record<string, number>;
    if ((e.type === 'step-approved' || e.type === 'step-rejected') && !e.data?.auto && e.step) {
      this.counted++;
      for (const [m, f] of Object.entries(METRIC_FIELDS)) this.push(`${e.step}|${m}`, data[f] ?? 0);
    } else if (e.type === 'completed' || e.type === 'partially-completed' || e.type === 'rejected') {
      this.counted++;
      this.push('overall|total', data.totalSeconds ?? 0);
    }
  }
  private push(k: string, v: number) {
    let list = this.samples.get(k);
    if (!list) {
      list = [];
      this.samples.set(k, list);
    }
    list.push(v);
  }
  figures(): Figures {
    const out: Figures = new Map();
    for (const [k, list] of this.samples) {
      const sorted = Float64Array.from(list).sort();
      out.set(k, [sorted.length, ...QS.map((q) => exactQuantile(sorted as unknown as number[], q))]);
    }
    return out;
  }
}

function reportFigures(r: ProcessingTimesReport): Figures {
  const out: Figures = new Map();
  for (const row of r.steps) {
    for (const m of ['total', 'wait', 'work', 'paused'] as const) {
      const s = m === 'total' ? row : row[m];
      out.set(`${row.step}|${m}`, [s.count, s.p50, s.p90, s.p95, s.p99]);
    }
  }
  const o = r.overall;
  out.set('overall|total', [o.count, o.p50, o.p90, o.p95, o.p99]);
  return out;
}

/** Largest relative error of the sketch figures against the exact ones (counts must be equal). */
function compare(sketch: Figures, exact: Figures): number {
  let worst = 0;
  for (const [k, want] of exact) {
    const got = sketch.get(k);
    if (!got || got[0] !== want[0]) throw new Error(`count differs for ${k}: ${got?.[0]} vs ${want[0]}`);
    for (let i = 1; i < want.length; i++) {
      const w = want[i] as number;
      const g = got[i] as number;
      worst = Math.max(worst, w === 0 ? Math.abs(g) : Math.abs(g - w) / w);
    }
  }
  return worst;
}

async function makeTable(endpoint: string, name: string) {
  const ddb = new DynamoDBClient({
    endpoint,
    region: 'ap-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // No stream: nothing consumes it here, and DynamoDB Local slows every later write about 40×
  // once a stream-enabled table has taken ~100k writes (measured while building this bench).
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

/** Writes the all-township daily cells of a projection: the items a one-year report reads. */
async function writeCells(doc: DynamoDBDocumentClient, tableName: string, memory: MemoryStatsStore) {
  const items = memory
    .all()
    .filter((c) => c.township === ALL_TOWNSHIPS)
    .map((c) => ({ ...keys.statsCell(1, c, true), ...cellItem(c, c.stats), gen: 1, version: 1 }));
  await batchWrite(doc, tableName, items);
  return items.length;
}

/** The sketch path, timed: a fresh store (cold config) per run, median of REPEATS. */
async function sketchReport(doc: DynamoDBDocumentClient, tableName: string) {
  const times: number[] = [];
  let last: { report: ProcessingTimesReport; store: DynamoStatsStore } | undefined;
  for (let i = 0; i < REPEATS; i++) {
    const store = new DynamoStatsStore(doc, tableName);
    const t = performance.now();
    const report = await processingTimesReport(store, DEF, { from: FROM, to: TO });
    times.push(performance.now() - t);
    last = { report, store };
  }
  times.sort((a, b) => a - b);
  const { report, store } = last as NonNullable<typeof last>;
  return {
    ms: times[Math.floor(times.length / 2)] as number,
    queries: store.reads.queries,
    itemsRead: store.reads.items,
    capacityUnits: store.reads.capacityUnits,
    report,
  };
}

function* eventsOf(cases: number, seed: number) {
  for (const c of syntheticCases(DEF, {
    cases,
    seed,
    townships: TOWNSHIPS,
    start: `${FROM}T00:00:00+08:00`,
  })) {
    yield* c.events;
  }
}

const started = performance.now();
const phases: Record<string, number> = {};
let phaseStart = performance.now();
/** Marks the end of a bench phase (wall seconds, for the results file and the log). */
function phase(name: string) {
  phases[name] = Number(((performance.now() - phaseStart) / 1000).toFixed(1));
  console.error(`[bench] ${name}: ${phases[name]} s`);
  phaseStart = performance.now();
}

/** Only the all-township rollup cells: the items a report without a township filter reads. */
const rollupOnly = (contributions: ReturnType<typeof contributionsOf>) =>
  contributions.map((c) => ({ ...c, updates: c.updates.filter((u) => u.key.township === ALL_TOWNSHIPS) }));

async function main() {
  const ddb = await startDynamoDbLocal({});
  const rows: Array<Record<string, string | number>> = [];
  const results: Record<string, unknown>[] = [];
  try {
    // ---- 100k events: both paths on DynamoDB Local ----
    const cases100k = Math.round(100_000 / EVENTS_PER_CASE);
    const events100k = [...eventsOf(cases100k, 100)];
    phase('start DynamoDB Local, synthesize 100k events');
    const doc = await makeTable(ddb.endpoint, 'bench-analytics-100k');
    let t = performance.now();
    await batchWrite(
      doc,
      'bench-analytics-100k',
      events100k.map((event) => ({
        ...keys.event(event.appId, event.at, 1, event.seq),
        type: 'event',
        event,
      })),
    );
    const loadSeconds = (performance.now() - t) / 1000;
    phase('write 100k event items');
    const memory100k = new MemoryStatsStore();
    memory100k.applySync(rollupOnly(contributionsOf(events100k)));
    const cells100k = await writeCells(doc, 'bench-analytics-100k', memory100k);
    phase('project and write the daily cells (100k)');

    // the baseline: Scan every item (4 parallel segments), keep the events, sort per step
    t = performance.now();
    const exact100k = new ExactBaseline();
    let scanned = 0;
    let scanCapacity = 0;
    await Promise.all(
      [0, 1, 2, 3].map(async (segment) => {
        let start: Record<string, unknown> | undefined;
        do {
          const page = await doc.send(
            new ScanCommand({
              TableName: 'bench-analytics-100k',
              Segment: segment,
              TotalSegments: 4,
              FilterExpression: '#type = :event',
              ExpressionAttributeNames: { '#type': 'type' },
              ExpressionAttributeValues: { ':event': 'event' },
              ReturnConsumedCapacity: 'TOTAL',
              ExclusiveStartKey: start,
            }),
          );
          scanned += page.ScannedCount ?? 0;
          scanCapacity += page.ConsumedCapacity?.CapacityUnits ?? 0;
          for (const item of page.Items ?? []) exact100k.add(item.event as DomainEvent);
          start = page.LastEvaluatedKey;
        } while (start);
      }),
    );
    const baseline100k = exact100k.figures();
    const baselineMs100k = performance.now() - t;
    phase('baseline: scan 100k');
    const sketch100k = await sketchReport(doc, 'bench-analytics-100k');
    phase('sketch report (100k)');
    const err100k = compare(reportFigures(sketch100k.report), baseline100k);
    const scanMsPerItem = baselineMs100k / scanned;
    results.push({
      events: events100k.length,
      cases: cases100k,
      loadSeconds,
      sketch: { ...sketch100k, report: undefined, cellsStored: cells100k },
      baseline: {
        mode: 'DynamoDB Local Scan (4 segments) + exact sort',
        ms: baselineMs100k,
        itemsRead: scanned,
        capacityUnits: scanCapacity,
      },
      ratio: {
        latency: baselineMs100k / sketch100k.ms,
        itemsRead: scanned / sketch100k.itemsRead,
        capacityUnits: scanCapacity / sketch100k.capacityUnits,
      },
      maxRelativeError: err100k,
    });
    rows.push({
      events: events100k.length,
      'sketch ms': sketch100k.ms.toFixed(1),
      'sketch queries': sketch100k.queries,
      'sketch items': sketch100k.itemsRead,
      'baseline ms': baselineMs100k.toFixed(0),
      'baseline items': scanned,
      'latency ×': (baselineMs100k / sketch100k.ms).toFixed(0),
      'items ×': (scanned / sketch100k.itemsRead).toFixed(0),
      'sketch RCU': sketch100k.capacityUnits,
      'baseline RCU': Math.round(scanCapacity),
      'max rel err %': (err100k * 100).toFixed(3),
    });
    events100k.length = 0;

    // ---- 1M events: baseline in memory (+ modelled Scan), sketch path on DynamoDB Local ----
    const cases1m = Math.round(1_000_000 / EVENTS_PER_CASE);
    // one pass over the synthesized stream, in slices: the baseline's work is timed, the
    // projection that yields the daily cells (the consumer's job, done ahead of any report) not
    const exact1m = new ExactBaseline();
    const memory1m = new MemoryStatsStore();
    const slice: DomainEvent[] = [];
    let n = 0;
    let computeMs = 0;
    const flush = () => {
      const t0 = performance.now();
      for (const e of slice) exact1m.add(e);
      computeMs += performance.now() - t0;
      memory1m.applySync(rollupOnly(contributionsOf(slice)));
      n += slice.length;
      slice.length = 0;
    };
    for (const e of eventsOf(cases1m, 1000)) {
      slice.push(e);
      if (slice.length >= 5000) flush();
    }
    flush();
    t = performance.now();
    const baseline1m = exact1m.figures();
    computeMs += performance.now() - t;
    phase('synthesize 1M events: baseline compute and projection');
    const modelledScanMs = scanMsPerItem * n;
    const modelledCapacity = (scanCapacity / scanned) * n;
    const baselineMs1m = computeMs + modelledScanMs;
    const doc1m = await makeTable(ddb.endpoint, 'bench-analytics-1m');
    const cells1m = await writeCells(doc1m, 'bench-analytics-1m', memory1m);
    phase('write the daily cells (1M)');
    const sketch1m = await sketchReport(doc1m, 'bench-analytics-1m');
    phase('sketch report (1M)');
    const err1m = compare(reportFigures(sketch1m.report), baseline1m);
    results.push({
      events: n,
      cases: cases1m,
      sketch: { ...sketch1m, report: undefined, cellsStored: cells1m },
      baseline: {
        mode: 'in-memory exact compute (measured) + Scan time modelled at the 100k Scan rate',
        ms: baselineMs1m,
        computeMs,
        modelledScanMs,
        itemsRead: n,
        capacityUnits: modelledCapacity,
      },
      ratio: {
        latency: baselineMs1m / sketch1m.ms,
        itemsRead: n / sketch1m.itemsRead,
        capacityUnits: modelledCapacity / sketch1m.capacityUnits,
      },
      maxRelativeError: err1m,
    });
    rows.push({
      events: n,
      'sketch ms': sketch1m.ms.toFixed(1),
      'sketch queries': sketch1m.queries,
      'sketch items': sketch1m.itemsRead,
      'baseline ms': baselineMs1m.toFixed(0),
      'baseline items': n,
      'latency ×': (baselineMs1m / sketch1m.ms).toFixed(0),
      'items ×': (n / sketch1m.itemsRead).toFixed(0),
      'sketch RCU': sketch1m.capacityUnits,
      'baseline RCU': Math.round(modelledCapacity),
      'max rel err %': (err1m * 100).toFixed(3),
    });
  } finally {
    await ddb.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  writeResult('analytics', {
    report: `processing times ${FROM}..${TO} (365 days × ${HUMAN_STEPS} human steps + overall), ${DEF.id}`,
    seconds,
    phases,
    scales: results,
  });
  table(rows);
  console.log(`analytics bench: ${seconds.toFixed(0)} s; results in bench/results/analytics.json`);
}

await main();
