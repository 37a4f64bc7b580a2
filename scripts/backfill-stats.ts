/**
 * Rebuilds every statistics cell from the event items (for a new metric, or after a bug), safe
 * while the service runs:
 *
 *   1. marks a new generation as building (STATS#CONFIG); live metrics consumers write every new
 *      event to it as well as to the active generation from their next config read (≤ 5 s);
 *   2. waits for that (--settle-seconds), then Scans the table for event items (an admin job; no
 *      request path scans), in parallel segments, and applies them to the new generation
 *      through the same idempotent write path (one marker per event and generation), so events
 *      the live consumer already wrote are skipped and none is counted twice;
 *   3. switches reports to the new generation. The old generation stays for comparison or
 *      rollback; a rerun after a crash resumes the generation being built.
 *
 * Usage: TABLE_NAME=onestop [DYNAMODB_ENDPOINT=http://127.0.0.1:8000] npx tsx scripts/backfill-stats.ts
 *          [--settle-seconds 15] [--segments 4] [--status]
 */
import { pathToFileURL } from 'node:url';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '#adapters/dynamodb/client';
import { DynamoStatsStore } from '#adapters/dynamodb/stats-repository';
import { contributionsOf } from '#core/analytics/consumer';
import type { DomainEvent } from '#core/engine/types';
import { requireEnv } from '#shared/env';

export interface BackfillOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** how long live consumers get to notice the new generation (default 15 s: 3× their cache) */
  settleMs?: number;
  segments?: number;
  log?: (line: string) => void;
}

export interface BackfillResult {
  generation: number;
  resumed: boolean;
  scanned: number;
  events: number;
  applied: number;
  duplicates: number;
  seconds: number;
}

export async function backfillStats(opts: BackfillOptions): Promise<BackfillResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const store = new DynamoStatsStore(opts.doc, opts.tableName);
  const started = Date.now();
  const { generation, resumed } = await store.startBuild();
  log(`[backfill] ${resumed ? 'resuming' : 'building'} statistics generation ${generation}`);
  const settleMs = opts.settleMs ?? 15_000;
  if (settleMs > 0) {
    log(`[backfill] waiting ${Math.round(settleMs / 1000)} s for live consumers to write to it too`);
    await new Promise((r) => setTimeout(r, settleMs));
  }
  const totals = { scanned: 0, events: 0, applied: 0, duplicates: 0 };
  let lastReport = 0;
  const progress = (force = false) => {
    if (!force && Date.now() - lastReport < 2000) return;
    lastReport = Date.now();
    const s = (Date.now() - started) / 1000;
    log(
      `[backfill] scanned ${totals.scanned} items, ${totals.events} events: ${totals.applied} counted, ` +
        `${totals.duplicates} already counted, ${totals.events - totals.applied - totals.duplicates} change no figure ` +
        `(${Math.round(totals.events / Math.max(s, 0.001))} events/s)`,
    );
  };
  const segments = Math.max(1, opts.segments ?? 4);
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await opts.doc.send(
          new ScanCommand({
            TableName: opts.tableName,
            Segment: segment,
            TotalSegments: segments,
            FilterExpression: '#type = :event',
            ProjectionExpression: '#event',
            ExpressionAttributeNames: { '#type': 'type', '#event': 'event' },
            ExpressionAttributeValues: { ':event': 'event' },
            ExclusiveStartKey: start,
          }),
        );
        const events = (page.Items ?? []).map((i) => i.event as DomainEvent).filter(Boolean);
        const result = await store.applyTo(generation, contributionsOf(events));
        if (result.failed.length > 0) {
          throw new Error(
            `${result.failed.length} events could not be written (e.g. ${result.failed[0]}); ` +
              `generation ${generation} stays unfinished: rerun to resume`,
          );
        }
        totals.scanned += page.ScannedCount ?? 0;
        totals.events += events.length;
        totals.applied += result.applied;
        totals.duplicates += result.duplicates;
        progress();
        start = page.LastEvaluatedKey;
      } while (start);
    }),
  );
  progress(true);
  await store.activate(generation);
  const seconds = (Date.now() - started) / 1000;
  log(`[backfill] generation ${generation} is now active (${seconds.toFixed(1)} s)`);
  return { generation, resumed, ...totals, seconds };
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const doc = makeDocumentClient();
  const tableName = requireEnv('TABLE_NAME');
  if (process.argv.includes('--status')) {
    console.log(JSON.stringify(await new DynamoStatsStore(doc, tableName).readConfig(true)));
    return;
  }
  await backfillStats({
    doc,
    tableName,
    settleMs: Number(argValue('--settle-seconds') ?? 15) * 1000,
    segments: Number(argValue('--segments') ?? 4),
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: Error) => {
    console.error(`[backfill] failed: ${err.message}`);
    process.exitCode = 1;
  });
}
