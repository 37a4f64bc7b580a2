/**
 * The statistics store on the single table (docs/analytics.md).
 *
 * Cells: one item per service × day × step × agency × township (and one per all-township
 * rollup) holding counters (`c_<name>`, numbers) and four DDSketches (`T`, `W`, `K`, `P` for
 * total, wait, work and paused; compact binary, see encodeSketch) and a `version`.
 *
 * Writes: a batch's events are coalesced into transactions of at most 25 items. Each
 * TransactWriteItems holds, per event, a marker `STATSMARK#g<gen>#<eventId>` put only if absent,
 * and, per touched cell, the cell merged with the batch's figures, put only if its `version` is
 * still the one read (optimistic locking). A redelivered event fails its marker's condition: the
 * transaction is cancelled, nothing changes, and the event is dropped from the retry. A cell
 * changed by another consumer meanwhile fails its version check: the cells are read again and
 * the transaction retried. So redelivery never counts twice and concurrent consumers never lose
 * an update.
 *
 * Generations: cells and markers carry a generation. The backfill builds generation n+1 while
 * the live consumer writes to both the active and the building generation, then switches the
 * active one (STATS#CONFIG). Reports read the active generation.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Cell,
  type CellKey,
  type CellStats,
  COUNTERS,
  type Contribution,
  type Counter,
  cellId,
  emptyStats,
  type Metric,
  mergeStats,
} from '#core/analytics/cells';
import type { ApplyResult, CellQuery, OpenCase, OpenCasesSource, StatsStore } from '#core/analytics/ports';
import { decodeSketch, encodeSketch, SKETCH_GAMMA, type Sketch } from '#core/analytics/sketch';
import type { ApplicationStatus } from '#core/engine/types';
import { type CellSpan, monthSpans } from '#core/reports/range';
import { isThrottling } from '../dependency-failure.ts';
import { keys } from './keys.ts';

type Item = Record<string, unknown>;

const METRIC_ATTR: Record<Metric, string> = { total: 'T', wait: 'W', work: 'K', paused: 'P' };
const IDENTITY = ['service', 'day', 'step', 'agency', 'township'] as const;

/**
 * DynamoDB allows 100 items per transaction, but latency grows with the item count (steeply on
 * DynamoDB Local) and so does the chance that two consumers touch the same cell: 25 items
 * (about ten events with their cells) measured best.
 */
const DEFAULT_TRANSACTION_ITEMS = 25;
/**
 * Optimistic attempts on hot cells before a chunk is reported failed (the consumer's batch is
 * then redelivered, the backfill says to rerun): a backfill racing the live consumer on the same
 * cells once ran out of 10 on a loaded machine.
 */
const MAX_ATTEMPTS = 20;
/** Markers outlive any redelivery: stream records live 24 h; DLQ replays must happen within this. */
const MARKER_TTL_DAYS = 30;
const OPEN_STATUSES: ApplicationStatus[] = ['in-progress', 'info-requested'];

export interface StatsConfig {
  active: number;
  building?: number | undefined;
  version: number;
}

export interface StatsStoreOptions {
  /** how long a read generation config is trusted (ms); the backfill waits longer than this */
  configTtlMs?: number;
  /** items per TransactWriteItems (2–100) */
  transactionItems?: number;
  now?: () => number;
}

export class DynamoStatsStore implements StatsStore, OpenCasesSource {
  /** Reads done by this store (Query calls and items DynamoDB read), for benchmarks and logs. */
  readonly reads = { queries: 0, items: 0, capacityUnits: 0 };
  /** Transactions written, and retries after a conflict or throttling. */
  readonly writes = { transactions: 0, retries: 0 };
  private config: { value: StatsConfig; at: number } | undefined;
  private readonly configTtlMs: number;
  private readonly now: () => number;
  private readonly transactionItems: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    opts: StatsStoreOptions = {},
  ) {
    this.configTtlMs = opts.configTtlMs ?? 5000;
    this.now = opts.now ?? Date.now;
    this.transactionItems = Math.min(100, Math.max(3, opts.transactionItems ?? DEFAULT_TRANSACTION_ITEMS));
  }

  // ---- generations ----------------------------------------------------------------------------

  async readConfig(fresh = false): Promise<StatsConfig> {
    if (!fresh && this.config && this.now() - this.config.at < this.configTtlMs) return this.config.value;
    const res = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.statsConfig, ConsistentRead: true }),
    );
    const value: StatsConfig = res.Item
      ? {
          active: Number(res.Item.active),
          building: res.Item.building === undefined ? undefined : Number(res.Item.building),
          version: Number(res.Item.version),
        }
      : { active: 1, version: 0 };
    this.config = { value, at: this.now() };
    return value;
  }

  private async writeConfig(prev: StatsConfig, next: Omit<StatsConfig, 'version'>) {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.statsConfig,
          type: 'stats-config',
          active: next.active,
          ...(next.building !== undefined ? { building: next.building } : {}),
          version: prev.version + 1,
          updatedAt: new Date(this.now()).toISOString(),
        },
        ConditionExpression: prev.version === 0 ? 'attribute_not_exists(pk)' : '#v = :v',
        ...(prev.version === 0
          ? {}
          : {
              ExpressionAttributeNames: { '#v': 'version' },
              ExpressionAttributeValues: { ':v': prev.version },
            }),
      }),
    );
    this.config = undefined;
  }

  /** Starts (or resumes) building a new generation; the live consumer writes to it from now on. */
  async startBuild(): Promise<{ generation: number; resumed: boolean }> {
    const cfg = await this.readConfig(true);
    if (cfg.building !== undefined) return { generation: cfg.building, resumed: true };
    const generation = cfg.active + 1;
    await this.writeConfig(cfg, { active: cfg.active, building: generation });
    return { generation, resumed: false };
  }

  /** Makes a finished generation the one reports read. */
  async activate(generation: number): Promise<void> {
    const cfg = await this.readConfig(true);
    if (cfg.building !== generation) {
      throw new Error(`Generation ${generation} is not being built (config: ${JSON.stringify(cfg)})`);
    }
    await this.writeConfig(cfg, { active: generation });
  }

  // ---- writes ---------------------------------------------------------------------------------

  async apply(contributions: Contribution[]): Promise<ApplyResult> {
    const cfg = await this.readConfig();
    const gens = cfg.building !== undefined ? [cfg.active, cfg.building] : [cfg.active];
    const results = await Promise.all(gens.map((g) => this.applyTo(g, contributions)));
    const [first] = results as [ApplyResult];
    return {
      applied: first.applied,
      duplicates: first.duplicates,
      failed: [...new Set(results.flatMap((r) => r.failed))],
    };
  }

  /** Applies contributions to one generation, each event at most once. */
  async applyTo(generation: number, contributions: Contribution[]): Promise<ApplyResult> {
    const result: ApplyResult = { applied: 0, duplicates: 0, failed: [] };
    // An event twice in one call is a duplicate here: in one transaction its marker would be
    // written twice (refused) and its figures summed twice.
    const ids = new Set<string>();
    const pending = contributions.filter((c) => {
      if (c.updates.length === 0) return false;
      if (ids.has(c.eventId)) {
        result.duplicates++;
        return false;
      }
      ids.add(c.eventId);
      return true;
    });
    while (pending.length > 0) {
      const chunk = takeChunk(pending, this.transactionItems);
      const r = await this.writeChunk(generation, chunk);
      result.applied += r.applied;
      result.duplicates += r.duplicates;
      result.failed.push(...r.failed);
    }
    return result;
  }

  private async writeChunk(generation: number, chunk: Contribution[]): Promise<ApplyResult> {
    let live = chunk;
    let duplicates = 0;
    for (let attempt = 1; live.length > 0; attempt++) {
      const deltas = aggregate(live);
      const current = await this.readForUpdate(generation, [...deltas.values()]);
      const expiresAt = Math.floor(this.now() / 1000) + MARKER_TTL_DAYS * 86_400;
      const items = [
        ...live.map((c) => ({
          Put: {
            TableName: this.tableName,
            Item: { ...keys.statsMarker(generation, c.eventId), type: 'stats-mark', expiresAt },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        })),
        ...[...deltas.entries()].map(([id, d]) => {
          const before = current.get(id);
          const stats = mergeStats(mergeStats(emptyStats(), before?.stats ?? emptyStats()), d.stats);
          return {
            Put: {
              TableName: this.tableName,
              Item: {
                ...keys.statsCell(generation, d.key, d.allTownships),
                ...cellItem(d.key, stats),
                gen: generation,
                version: (before?.version ?? 0) + 1,
              },
              ConditionExpression: before ? '#v = :v' : 'attribute_not_exists(pk)',
              ...(before
                ? {
                    ExpressionAttributeNames: { '#v': 'version' },
                    ExpressionAttributeValues: { ':v': before.version },
                  }
                : {}),
            },
          };
        }),
      ];
      try {
        this.writes.transactions++;
        await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return { applied: live.length, duplicates, failed: [] };
      } catch (err) {
        const reasons = cancellationCodes(err);
        if (!reasons && (err as Error)?.name !== 'TransactionConflictException') throw err;
        const seen = new Set(
          live.filter((_, i) => reasons?.[i] === 'ConditionalCheckFailed').map((c) => c.eventId),
        );
        if (seen.size > 0) {
          // Already counted (redelivery or backfill overlap): drop those and write the rest.
          duplicates += seen.size;
          live = live.filter((c) => !seen.has(c.eventId));
          attempt--;
          continue;
        }
        const cellConflict = reasons?.slice(live.length).some((r) => r === 'ConditionalCheckFailed');
        const retryable = cellConflict || !reasons || reasons.some(isRetryableCode);
        if (!retryable) throw err;
        if (attempt >= MAX_ATTEMPTS) return { applied: 0, duplicates, failed: live.map((c) => c.eventId) };
        // another consumer changed a cell (or DynamoDB asked us to slow down): read again, retry
        this.writes.retries++;
        await sleep(Math.min(1000, 10 * 2 ** attempt) * (0.5 + Math.random()));
      }
    }
    return { applied: 0, duplicates, failed: [] };
  }

  /** The cells' stored figures and versions (strongly consistent: they are about to be replaced). */
  private async readForUpdate(
    generation: number,
    cells: Array<{ key: CellKey; allTownships: boolean }>,
  ): Promise<Map<string, { stats: CellStats; version: number }>> {
    const out = new Map<string, { stats: CellStats; version: number }>();
    let pending: Array<Record<string, unknown>> = cells.map((c) =>
      keys.statsCell(generation, c.key, c.allTownships),
    );
    while (pending.length > 0) {
      const res = await this.doc.send(
        new BatchGetCommand({
          RequestItems: { [this.tableName]: { Keys: pending.slice(0, 100), ConsistentRead: true } },
        }),
      );
      for (const item of res.Responses?.[this.tableName] ?? []) {
        const cell = cellFromItem(item);
        out.set(cellId(cell), { stats: cell.stats, version: Number(item.version ?? 0) });
      }
      pending = [...(res.UnprocessedKeys?.[this.tableName]?.Keys ?? []), ...pending.slice(100)];
    }
    return out;
  }

  // ---- reads ----------------------------------------------------------------------------------

  async readCells(q: CellQuery): Promise<Cell[]> {
    const { active } = await this.readConfig();
    const allTownships = q.township === undefined;
    const one = typeof q.township === 'string' ? q.township : undefined;
    const names: Record<string, string> = { '#pk': 'pk', '#sk': 'sk' };
    const values: Record<string, unknown> = {};
    let filter: string | undefined;
    if (one !== undefined) {
      names['#tw'] = 'township';
      values[':tw'] = one;
      filter = '#tw = :tw';
    }
    let projection: string | undefined;
    if (q.countersOnly) {
      const attrs = [...IDENTITY, ...COUNTERS.map((c) => `c_${c}`)];
      attrs.forEach((a, i) => {
        names[`#p${i}`] = a;
      });
      projection = attrs.map((_, i) => `#p${i}`).join(', ');
    }
    const spans: CellSpan[] = q.months
      ? monthSpans(q.from, q.to)
      : [{ from: q.from, to: q.to, months: false }];
    const queries = spans.flatMap((span) => {
      const out: Array<{ year: string; span: CellSpan }> = [];
      for (let y = Number(span.from.slice(0, 4)); y <= Number(span.to.slice(0, 4)); y++)
        out.push({ year: String(y), span });
      return out;
    });
    const pages = await Promise.all(
      queries.map(({ year, span }) => {
        // sort keys lead with the day (or the month in a month partition): one range per year
        const range = span.months
          ? keys.statsMonthRange(span.from, span.to)
          : keys.statsDayRange(span.from > `${year}-01-01` ? span.from : `${year}-01-01`, span.to);
        return this.queryAll({
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :low AND :high',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ...values,
            ':pk': keys.statsPk(active, q.service, year, !allTownships, span.months),
            ':low': range.low,
            ':high': range.high,
          },
          ...(filter ? { FilterExpression: filter } : {}),
          ...(projection ? { ProjectionExpression: projection } : {}),
        });
      }),
    );
    return pages.flat().map(cellFromItem);
  }

  async openCases(service: string, steps: string[]): Promise<OpenCase[]> {
    const names: Record<string, string> = {
      '#status': 'status',
      '#createdAt': 'createdAt',
      '#township': 'township',
      '#dueAt': 'dueAt',
      '#steps': 'steps',
      '#agency': 'agency',
      '#openedAt': 'openedAt',
    };
    const stepPaths = steps.flatMap((s, i) => {
      names[`#s${i}`] = s;
      return ['#status', '#agency', '#openedAt', '#dueAt'].map((a) => `#steps.#s${i}.${a}`);
    });
    const projection = ['#status', '#createdAt', '#township', '#dueAt', ...stepPaths].join(', ');
    const lists = await Promise.all(
      OPEN_STATUSES.map((status) =>
        this.queryAll({
          IndexName: 'GSI1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':pk': keys.appStatusIndex(service, status, '', '').gsi1pk },
          ProjectionExpression: projection,
        }),
      ),
    );
    return lists.flat().map((item) => {
      const stepsMap = (item.steps ?? {}) as Record<string, Record<string, unknown>>;
      return {
        status: item.status as ApplicationStatus,
        createdAt: String(item.createdAt),
        township: item.township as string | undefined,
        dueAt: item.dueAt as string | undefined,
        steps: Object.entries(stepsMap).map(([step, s]) => ({
          step,
          agency: s.agency as string | undefined,
          status: String(s.status),
          openedAt: s.openedAt as string | undefined,
          dueAt: s.dueAt as string | undefined,
        })),
      };
    });
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const out: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          ...input,
          TableName: this.tableName,
          ExclusiveStartKey: start,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      this.reads.queries++;
      this.reads.capacityUnits += res.ConsumedCapacity?.CapacityUnits ?? 0;
      this.reads.items += res.ScannedCount ?? res.Count ?? 0;
      out.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }
}

// ---- encoding ----------------------------------------------------------------------------------

/** A cell's stored attributes: identity, counters as numbers, each sketch as compact bytes. */
export function cellItem(key: CellKey, stats: CellStats): Record<string, unknown> {
  const out: Record<string, unknown> = { type: 'stats', gamma: SKETCH_GAMMA };
  for (const k of IDENTITY) out[k] = key[k];
  for (const [name, n] of Object.entries(stats.counters) as Array<[Counter, number]>) {
    if (n) out[`c_${name}`] = n;
  }
  for (const [metric, s] of Object.entries(stats.sketches) as Array<[Metric, Sketch | undefined]>) {
    if (s && !s.isEmpty()) out[METRIC_ATTR[metric]] = encodeSketch(s);
  }
  return out;
}

export function cellFromItem(item: Item): Cell {
  const stats = emptyStats();
  for (const name of COUNTERS) {
    const n = item[`c_${name}`];
    if (n !== undefined) stats.counters[name] = Number(n);
  }
  for (const [metric, attr] of Object.entries(METRIC_ATTR) as Array<[Metric, string]>) {
    const bytes = item[attr];
    if (bytes instanceof Uint8Array) stats.sketches[metric] = decodeSketch(bytes);
  }
  return {
    service: String(item.service),
    day: String(item.day),
    step: String(item.step),
    agency: String(item.agency),
    township: String(item.township),
    stats,
  };
}

/** Sums the contributions per cell (the rollup cells flagged). */
function aggregate(contributions: Contribution[]) {
  const cells = new Map<string, { key: CellKey; stats: CellStats; allTownships: boolean }>();
  for (const c of contributions) {
    for (const u of c.updates) {
      const allTownships = u.key.township === '*';
      const id = cellId(u.key);
      let cell = cells.get(id);
      if (!cell) {
        cell = { key: u.key, stats: emptyStats(), allTownships };
        cells.set(id, cell);
      }
      mergeStats(cell.stats, u.stats);
    }
  }
  return cells;
}

/** Takes from the front of `pending` as many events as fit one transaction (markers + cells). */
function takeChunk(pending: Contribution[], maxItems: number): Contribution[] {
  const chunk: Contribution[] = [];
  const cells = new Set<string>();
  while (pending.length > 0) {
    const next = pending[0] as Contribution;
    const fresh = next.updates.map((u) => cellId(u.key)).filter((id) => !cells.has(id));
    if (chunk.length > 0 && chunk.length + 1 + cells.size + fresh.length > maxItems) break;
    pending.shift();
    chunk.push(next);
    for (const id of fresh) cells.add(id);
  }
  return chunk;
}

function cancellationCodes(err: unknown): string[] | undefined {
  if (
    err instanceof TransactionCanceledException ||
    (err as Error)?.name === 'TransactionCanceledException'
  ) {
    return ((err as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code ?? 'None');
  }
  return undefined;
}

/** Cancellation codes worth another read-and-write round: a lost race, or throttling. */
const isRetryableCode = (code: string) => code === 'TransactionConflict' || isThrottling(code);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
