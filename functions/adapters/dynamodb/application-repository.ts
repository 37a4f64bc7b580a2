/**
 * ApplicationRepository on the single DynamoDB table. Every state change is ONE
 * TransactWriteItems: the application (version-checked), the touched task items, and one
 * append-only event item per change. ID numbers are encrypted on the way in and decrypted on the
 * way out, with a blind index per sensitive path for duplicate lookups.
 */
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { getService } from '#core/catalog';
import { getPath, updatePath } from '#core/engine/paths';
import { nextTimerAt } from '#core/engine/transition';
import {
  type Application,
  type DomainEvent,
  type OrgRecord,
  type PoolRef,
  type PoolState,
  poolKey,
  type QueueEntry,
  type StepState,
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
import type { FieldCipher } from '../crypto/field-cipher.ts';
import { keys } from './keys.ts';

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** Longer than any drawer (HTTP or sweeper) runs; after it a crashed draw may be resumed. */
const ROUND_DRAW_LEASE_MS = 10 * 60_000;

type Item = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: TransactWriteItems entries are heterogeneous
type TransactItem = Record<string, any>;

/** What each transaction entry stands for, to turn a cancellation into the right domain error. */
type Meaning =
  | { kind: 'app' }
  | { kind: 'idempotency' }
  | { kind: 'pool'; pool: PoolRef; takes: boolean; capacity?: number | undefined }
  | { kind: 'unique'; path: string }
  | { kind: 'other' };

export class DynamoApplicationRepository implements ApplicationRepository {
  readonly pools: DynamoPoolStore;
  readonly orgs: DynamoOrgReader;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly cipher: FieldCipher,
  ) {
    this.pools = new DynamoPoolStore(doc, tableName);
    this.orgs = new DynamoOrgReader(doc, tableName);
  }

  async create(
    result: TransitionResult,
    idem?: IdempotencyClaim,
  ): Promise<{ app: Application; created: boolean }> {
    const { app } = result;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: this.appItem(app),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...this.taskAndEventPuts(result),
    ];
    const meanings: Meaning[] = items.map((_, i) => (i === 0 ? { kind: 'app' } : { kind: 'other' }));
    if (idem) {
      meanings.push({ kind: 'idempotency' });
      items.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.idempotency(idem.key),
            type: 'idempotency',
            appId: app.id,
            bodyHash: idem.bodyHash,
            expiresAt: Math.floor(Date.parse(app.createdAt) / 1000) + IDEMPOTENCY_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    const idemIndex = items.length - 1;
    this.addEffects(result, items, meanings);
    try {
      await sendTransaction(this.doc, items);
      return { app, created: true };
    } catch (err) {
      if (!idem || !isConditionFailure(err, idemIndex)) throw mapTransactionError(err, meanings);
      const existing = await this.findIdempotent(idem.key);
      if (!existing || existing.bodyHash !== idem.bodyHash) throw new IdempotencyConflictError();
      const first = await this.get(existing.appId);
      if (!first) throw new VersionConflictError();
      return { app: first, created: false };
    }
  }

  async findIdempotent(key: string): Promise<{ appId: string; bodyHash: string } | null> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.idempotency(key), ConsistentRead: true }),
    );
    return res.Item ? { appId: String(res.Item.appId), bodyHash: String(res.Item.bodyHash) } : null;
  }

  async get(id: string): Promise<Application | null> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.application(id), ConsistentRead: true }),
    );
    return res.Item ? this.fromItem(res.Item) : null;
  }

  async save(result: TransitionResult, expectedVersion: number): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: this.appItem(result.app),
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
      ...this.taskAndEventPuts(result),
    ];
    const meanings: Meaning[] = items.map((_, i) => (i === 0 ? { kind: 'app' } : { kind: 'other' }));
    this.addEffects(result, items, meanings);
    try {
      await sendTransaction(this.doc, items);
    } catch (err) {
      throw mapTransactionError(err, meanings);
    }
  }

  /**
   * The transition's store effects as transaction entries: ONE conditional update per pool
   * (deltas of taken/waiting/settled combined, since a transaction may touch an item once),
   * waitlist entry puts/deletes, and uniqueness items keyed by the value's blind index.
   */
  private addEffects(result: TransitionResult, items: TransactItem[], meanings: Meaning[]) {
    const effects: StoreEffect[] = result.effects ?? [];
    if (effects.length === 0) return;
    const { app } = result;
    const now = app.updatedAt;
    const pools = new Map<
      string,
      {
        ref: PoolRef;
        taken: number;
        waiting: number;
        settled: number;
        fresh: boolean;
        release: boolean;
        /** the capacity read before the transition, for a take of more than one unit */
        capacity?: number | undefined;
      }
    >();
    const pool = (ref: PoolRef) => {
      const key = poolKey(ref);
      let p = pools.get(key);
      if (!p) {
        p = { ref, taken: 0, waiting: 0, settled: 0, fresh: false, release: false };
        pools.set(key, p);
      }
      return p;
    };
    for (const e of effects) {
      switch (e.type) {
        case 'take': {
          const p = pool(e.pool);
          p.taken += e.amount;
          if (e.capacity !== undefined) p.capacity = e.capacity;
          if (!e.fromQueue) p.fresh = true;
          break;
        }
        case 'release': {
          const p = pool(e.pool);
          p.taken -= e.amount;
          p.release = true;
          break;
        }
        case 'settle':
          pool(e.pool).settled += e.amount;
          break;
        case 'join':
          if (!e.rerank) pool(e.entry).waiting++;
          items.push({ Put: { TableName: this.tableName, Item: waitItem(app.id, e.entry) } });
          meanings.push({ kind: 'other' });
          break;
        case 'leave':
          pool(e.entry).waiting--;
          items.push({
            Delete: { TableName: this.tableName, Key: keys.waitEntry(app.id, e.entry.org, e.entry.pool) },
          });
          meanings.push({ kind: 'other' });
          break;
        case 'unique-claim':
          items.push({
            Put: {
              TableName: this.tableName,
              Item: {
                ...keys.unique(app.service, e.path, this.cipher.blindIndex(e.value)),
                type: 'unique',
                appId: app.id,
                service: app.service,
                path: e.path,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          });
          meanings.push({ kind: 'unique', path: e.path });
          break;
        case 'unique-release':
          items.push({
            Delete: {
              TableName: this.tableName,
              Key: keys.unique(app.service, e.path, this.cipher.blindIndex(e.value)),
              ConditionExpression: 'appId = :id',
              ExpressionAttributeValues: { ':id': app.id },
            },
          });
          meanings.push({ kind: 'other' });
          break;
      }
    }
    for (const p of pools.values()) {
      const sets: string[] = [];
      const conds = ['attribute_exists(pk)'];
      const values: Record<string, unknown> = {};
      const add = (attr: string, delta: number) => {
        if (delta === 0) return;
        values[`:${attr}`] = delta;
        sets.push(`${attr} = if_not_exists(${attr}, :zero) + :${attr}`);
      };
      add('taken', p.taken);
      add('waiting', p.waiting);
      add('settled', p.settled);
      if (p.taken > 0 && p.capacity === undefined) {
        conds.push('taken < #capacity');
      } else if (p.taken > 0) {
        // No arithmetic in a condition: the room is checked against the capacity that was read,
        // and a capacity changed since is a conflict to retry, not a full pool.
        values[':capacity'] = p.capacity;
        values[':maxTaken'] = (p.capacity ?? 0) - p.taken;
        conds.push('#capacity = :capacity', 'taken <= :maxTaken');
      }
      if (p.taken > 0) {
        // A newcomer may not jump a waitlist: places freed meanwhile go to the list's head.
        if (p.fresh) conds.push('(attribute_not_exists(waiting) OR waiting <= :zero)');
      }
      if (p.taken < 0) {
        values[':minTaken'] = -p.taken;
        conds.push('taken >= :minTaken');
      }
      if (p.waiting < 0) {
        values[':minWaiting'] = -p.waiting;
        conds.push('waiting >= :minWaiting');
      }
      if (p.release) {
        // Flag the pool for the sweeper, which offers the freed place to the waitlist's head.
        const due = keys.poolDue(now, p.ref.org, p.ref.pool);
        values[':duePk'] = due.duePk;
        values[':dueSk'] = due.dueSk;
        sets.push('duePk = :duePk', 'dueSk = :dueSk');
      }
      if (sets.length === 0) continue;
      values[':zero'] = 0;
      items.push({
        Update: {
          TableName: this.tableName,
          Key: keys.intake(p.ref.org, p.ref.pool),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: conds.join(' AND '),
          ...(p.taken > 0 ? { ExpressionAttributeNames: { '#capacity': 'capacity' } } : {}),
          ExpressionAttributeValues: values,
          ...(p.capacity !== undefined ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
        },
      });
      meanings.push({ kind: 'pool', pool: p.ref, takes: p.taken > 0, capacity: p.capacity });
    }
  }

  async listByApplicant(applicant: string, limit = 100): Promise<Application[]> {
    const items = await this.query({
      IndexName: 'GSI2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.ownerPk(applicant) },
      ScanIndexForward: false,
      Limit: limit,
    });
    const own = items.filter((i) => i.type === 'application').map((i) => this.fromItem(i));
    // cases linked as another guardian: their link items share the account's index
    const linked = await Promise.all(
      items.filter((i) => i.type === 'guardian-link').map((i) => this.get(String(i.appId))),
    );
    return [...own, ...linked.filter((a): a is Application => a !== null)].sort((a, b) =>
      a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0,
    );
  }

  async linkGuardian(appId: string, sub: string, at: string): Promise<'linked' | 'already'> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.application(appId),
                UpdateExpression:
                  'SET guardians = list_append(if_not_exists(guardians, :none), :sub), #v = #v + :inc',
                ConditionExpression:
                  'attribute_exists(pk) AND applicant <> :one AND NOT contains(guardians, :one)',
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':none': [], ':sub': [sub], ':one': sub, ':inc': 1 },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.guardianLink(appId, sub),
                  ...keys.ownerIndex(sub, at, appId),
                  type: 'guardian-link',
                  appId,
                  sub,
                  linkedAt: at,
                },
              },
            },
          ],
        }),
      );
      return 'linked';
    } catch (err) {
      if (err instanceof TransactionCanceledException) {
        const codes = (err.CancellationReasons ?? []).map((r) => r.Code);
        if (codes[0] === 'ConditionalCheckFailed') return 'already';
        if (codes.includes('TransactionConflict')) throw new VersionConflictError();
      }
      throw err;
    }
  }

  async listQueue(q: QueueQuery): Promise<TaskItem[]> {
    const items = await this.query({
      IndexName: 'GSI1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.queuePk(q.agency, q.township, q.status) },
      Limit: q.limit ?? 200,
    });
    return items.map((i) => i.task as TaskItem);
  }

  async listEvents(appId: string): Promise<DomainEvent[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.appPk(appId), ':prefix': keys.eventPrefix },
    });
    // The sort key starts with the writer's clock, which may read behind the last event's (another
    // Lambda): the kernel's sequence number is the order.
    return items.map((i) => i.event as DomainEvent).sort((a, b) => a.seq - b.seq);
  }

  async dueTimers(now: Date, limit: number): Promise<Array<{ appId: string; step: string }>> {
    const items = await this.query({
      IndexName: 'GSI3',
      KeyConditionExpression: 'duePk = :pk AND dueSk <= :now',
      ExpressionAttributeValues: { ':pk': keys.duePk, ':now': `${now.toISOString()}#~` },
      Limit: limit,
    });
    return items.map((i) => ({ appId: String(i.appId), step: String(i.step) }));
  }

  private query(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    return queryAll(this.doc, { ...input, TableName: this.tableName });
  }

  private appItem(app: Application): Item {
    const def = getService(app.service);
    let form = app.form;
    const blind: Record<string, string> = {};
    for (const path of def.sensitivePaths) {
      const value = getPath(form, path);
      if (typeof value !== 'string') continue;
      blind[path] = this.cipher.blindIndex(value);
      form = updatePath(form, path, () => this.cipher.encrypt(value));
    }
    return {
      ...keys.application(app.id),
      ...keys.appStatusIndex(app.service, app.status, app.updatedAt, app.id),
      ...keys.ownerIndex(app.applicant, app.createdAt, app.id),
      type: 'application',
      ...app,
      form,
      // the SMS number is protected like ID numbers (it is also not a lookup key)
      ...(app.contactPhone ? { contactPhone: this.cipher.encrypt(app.contactPhone) } : {}),
      idIndex: blind,
    };
  }

  private fromItem(item: Item): Application {
    const { pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, type, idIndex, ...rest } = item;
    const app = rest as unknown as Application;
    if (typeof app.contactPhone === 'string' && this.cipher.isEncrypted(app.contactPhone)) {
      app.contactPhone = this.cipher.decrypt(app.contactPhone);
    }
    const def = getService(app.service);
    for (const path of def.sensitivePaths) {
      app.form = updatePath(app.form, path, (v) =>
        typeof v === 'string' && this.cipher.isEncrypted(v) ? this.cipher.decrypt(v) : v,
      );
    }
    return app;
  }

  private taskAndEventPuts(result: TransitionResult) {
    const { app, events } = result;
    const puts: Array<{ Put: { TableName: string; Item: Item; ConditionExpression?: string } }> = [];
    for (const name of result.touched) {
      const state = app.steps[name];
      if (!state || state.kind === 'auto' || state.status === 'pending') continue;
      puts.push({ Put: { TableName: this.tableName, Item: this.taskItem(app, state) } });
    }
    for (const event of events) {
      puts.push({
        Put: {
          TableName: this.tableName,
          Item: { ...keys.event(app.id, event.at, app.version, event.seq), type: 'event', event },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    return puts;
  }

  private taskItem(app: Application, s: StepState): Item {
    const task: TaskItem = {
      appId: app.id,
      service: app.service,
      step: s.step,
      agency: s.agency ?? '',
      township: s.township,
      status: s.status,
      label: app.label,
      openedAt: s.openedAt,
      claimedAt: s.claimedAt,
      assignee: s.assignee,
      dueAt: s.dueAt,
      warnAt: s.warnAt,
      warned: s.warned,
      breached: s.breached,
    };
    const timerAt = nextTimerAt(s);
    return {
      ...keys.task(app.id, s.step),
      type: 'task',
      ...keys.queueIndex(task.agency, s.township, s.status, s.dueAt ?? s.openedAt ?? app.createdAt, app.id),
      ...(s.assignee ? keys.ownerIndex(s.assignee, s.claimedAt ?? app.updatedAt, `${app.id}#${s.step}`) : {}),
      ...(timerAt ? { ...keys.dueIndex(timerAt, app.id, s.step), appId: app.id, step: s.step } : {}),
      task,
    };
  }
}

function isConditionFailure(err: unknown, index: number): boolean {
  return (
    err instanceof TransactionCanceledException &&
    err.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed'
  );
}

/**
 * One TransactWriteItems with a ClientRequestToken, so the SDK's own retries of a timed-out or
 * throttled attempt (its retry strategy, the only one) apply it at most once. What is left after
 * those retries reaches the edge as 503 with Retry-After (functions/shared/error-mapper.ts).
 */
export async function sendTransaction(doc: DynamoDBDocumentClient, items: TransactItem[]): Promise<void> {
  await doc.send(
    new TransactWriteCommand({ TransactItems: items as never, ClientRequestToken: randomUUID() }),
  );
}

function waitItem(appId: string, e: QueueEntry): Item {
  return {
    ...keys.waitEntry(appId, e.org, e.pool),
    ...keys.waitIndex(e.org, e.pool, e.rank, appId),
    type: 'wait',
    appId,
    step: e.step,
    org: e.org,
    pool: e.pool,
    rank: e.rank,
  };
}

/**
 * Transaction cancellations become domain errors; anything else propagates as is. With the
 * entries' meanings: a failed take is SlotsExhaustedError, a taken unique value is
 * DuplicateApplicationError, a conflict only on pool items is PoolContentionError (retried).
 */
/** A pool item's capacity from a cancellation reason (raw attribute values: errors are not unmarshalled). */
function capacityOf(item: Record<string, unknown> | undefined): number | undefined {
  const value = item?.capacity as { N?: string } | number | undefined;
  if (typeof value === 'number') return value;
  return value?.N === undefined ? undefined : Number(value.N);
}

export function mapTransactionError(err: unknown, meanings?: Meaning[]): unknown {
  if (err instanceof TransactionCanceledException && meanings) {
    const reasons = err.CancellationReasons ?? [];
    for (const [i, r] of reasons.entries()) {
      if (r.Code !== 'ConditionalCheckFailed') continue;
      const m = meanings[i];
      if (m?.kind === 'pool' && m.takes && m.capacity !== undefined && capacityOf(r.Item) !== m.capacity) {
        return new PoolContentionError(); // the capacity changed since it was read: read again
      }
      if (m?.kind === 'pool' && m.takes) return new SlotsExhaustedError(m.pool);
      if (m?.kind === 'unique') return new DuplicateApplicationError(m.path);
      if (m?.kind === 'pool') return new Error(`pool ${poolKey(m.pool)} counters would go negative`);
    }
    const conflicted = reasons.flatMap((r, i) => (r.Code === 'TransactionConflict' ? [meanings[i]] : []));
    if (
      conflicted.length > 0 &&
      reasons.every((r) => r.Code !== 'ConditionalCheckFailed') &&
      conflicted.every((m) => m?.kind === 'pool' || m?.kind === 'unique')
    ) {
      return new PoolContentionError();
    }
  }
  if (err instanceof TransactionCanceledException) {
    const codes = err.CancellationReasons?.map((r) => r.Code ?? 'None') ?? [];
    if (codes.some((c) => c === 'ConditionalCheckFailed' || c === 'TransactionConflict')) {
      return new VersionConflictError();
    }
  }
  if (err instanceof Error && err.name === 'TransactionConflictException') return new VersionConflictError();
  return err;
}

/**
 * Capacity pools (e.g. nursery intakes), their waitlists and allocation rounds on the single
 * table. The counters change only inside application transactions (DynamoApplicationRepository);
 * this class reads them and keeps the sweeper's flags.
 */
export class DynamoPoolStore implements PoolRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // biome-ignore lint/suspicious/noExplicitAny: any DynamoDB document command
  private send<T = any>(command: any): Promise<T> {
    return this.doc.send(command) as Promise<T>;
  }

  async openPool(
    ref: PoolRef,
    capacity: number,
    at: string,
    data?: Record<string, unknown>,
  ): Promise<'created' | 'exists'> {
    try {
      await this.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.intake(ref.org, ref.pool),
            type: 'pool',
            org: ref.org,
            pool: ref.pool,
            capacity,
            taken: 0,
            waiting: 0,
            settled: 0,
            ...(data ? { data } : {}),
            createdAt: at,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return 'exists';
      throw err;
    }
  }

  async read(refs: PoolRef[]): Promise<Map<string, PoolState>> {
    const unique = [...new Map(refs.map((r) => [poolKey(r), r])).values()];
    const out = new Map<string, PoolState>();
    for (let i = 0; i < unique.length; i += 100) {
      let keysLeft: Record<string, unknown>[] | undefined = unique
        .slice(i, i + 100)
        .map((r) => keys.intake(r.org, r.pool));
      while (keysLeft && keysLeft.length > 0) {
        const res = await this.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: keysLeft, ConsistentRead: true } },
          }),
        );
        for (const item of res.Responses?.[this.tableName] ?? []) {
          const state = poolFromItem(item);
          out.set(poolKey(state), state);
        }
        keysLeft = res.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return out;
  }

  async waitlist(pool: PoolRef, opts: { limit?: number; rankPrefix?: string } = {}): Promise<WaitlistItem[]> {
    const values: Record<string, unknown> = { ':pk': keys.waitPk(pool.org, pool.pool) };
    let condition = 'gsi1pk = :pk';
    if (opts.rankPrefix) {
      values[':prefix'] = opts.rankPrefix;
      condition += ' AND begins_with(gsi1sk, :prefix)';
    }
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: condition,
      ExpressionAttributeValues: values,
      ...(opts.limit ? { Limit: opts.limit } : {}),
    });
    return items.map((i) => ({ appId: String(i.appId), step: String(i.step), rank: String(i.rank) }));
  }

  async ahead(appId: string, entries: QueueEntry[]): Promise<number[]> {
    return Promise.all(
      entries.map(async (e) => {
        let count = 0;
        let start: Record<string, unknown> | undefined;
        do {
          const res = await this.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: 'GSI1',
              KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk < :mine',
              ExpressionAttributeValues: {
                ':pk': keys.waitPk(e.org, e.pool),
                ':mine': keys.waitIndex(e.org, e.pool, e.rank, appId).gsi1sk,
              },
              Select: 'COUNT',
              ExclusiveStartKey: start,
            }),
          );
          count += res.Count ?? 0;
          start = res.LastEvaluatedKey;
        } while (start);
        return count;
      }),
    );
  }

  async duePools(now: Date, limit: number): Promise<Array<{ pool: PoolRef; marker: string }>> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: 'GSI3',
      KeyConditionExpression: 'duePk = :pk AND dueSk <= :now',
      ExpressionAttributeValues: { ':pk': keys.poolDuePk, ':now': `${now.toISOString()}#~` },
      Limit: limit,
    });
    return items.map((i) => ({
      pool: { org: String(i.org), pool: String(i.pool) },
      marker: String(i.dueSk),
    }));
  }

  async markDue(pool: PoolRef, now: Date): Promise<void> {
    const due = keys.poolDue(now.toISOString(), pool.org, pool.pool);
    await this.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.intake(pool.org, pool.pool),
        UpdateExpression: 'SET duePk = :pk, dueSk = :sk',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':pk': due.duePk, ':sk': due.dueSk },
      }),
    );
  }

  async clearDue(pool: PoolRef, marker: string): Promise<void> {
    try {
      await this.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.intake(pool.org, pool.pool),
          UpdateExpression: 'REMOVE duePk, dueSk',
          ConditionExpression: 'dueSk = :marker',
          ExpressionAttributeValues: { ':marker': marker },
        }),
      );
    } catch (err) {
      // A release after our read set a newer flag: keep it for the next run.
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
    }
  }

  async getRound(service: string, id: string): Promise<RoundRecord | null> {
    const res = await this.send(
      new GetCommand({ TableName: this.tableName, Key: keys.round(service, id), ConsistentRead: true }),
    );
    return res.Item ? roundFromItem(res.Item) : null;
  }

  async dueRounds(now: Date, limit: number): Promise<RoundRecord[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: 'GSI3',
      KeyConditionExpression: 'duePk = :pk AND dueSk <= :now',
      ExpressionAttributeValues: { ':pk': keys.roundDuePk, ':now': `${now.toISOString()}#~` },
      Limit: limit,
    });
    return items.map(roundFromItem).filter((r) => r.status !== 'allocated');
  }

  /**
   * Claims the round for one draw (a lease longer than any drawer runs): a concurrent draw gets
   * ROUND_DRAW_IN_PROGRESS, a drawn round ROUND_ALREADY_DRAWN. A draw that crashed is resumed by
   * the sweeper once its lease has run out, with the seed it fixed.
   */
  async startRound(service: string, id: string, seed: string, now: Date): Promise<RoundRecord> {
    try {
      const res = await this.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.round(service, id),
          UpdateExpression:
            'SET #status = :allocating, seed = if_not_exists(seed, :seed), startedAt = if_not_exists(startedAt, :now), drawLeaseUntil = :lease',
          ConditionExpression:
            'attribute_exists(pk) AND #status <> :allocated AND (attribute_not_exists(drawLeaseUntil) OR drawLeaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':allocating': 'allocating',
            ':allocated': 'allocated',
            ':seed': seed,
            ':now': now.toISOString(),
            ':lease': new Date(now.getTime() + ROUND_DRAW_LEASE_MS).toISOString(),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return roundFromItem(res.Attributes as Item);
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const round = await this.getRound(service, id);
      throw new RoundDrawConflictError(
        round?.status === 'allocated' ? 'ROUND_ALREADY_DRAWN' : 'ROUND_DRAW_IN_PROGRESS',
      );
    }
  }

  async finishRound(
    service: string,
    id: string,
    stats: { entrants: number; placed: number },
    now: Date,
  ): Promise<void> {
    const round = await this.getRound(service, id);
    if (!round) return;
    const at = now.toISOString();
    for (const pool of round.pools) {
      const due = keys.poolDue(at, pool.org, pool.pool);
      await this.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.intake(pool.org, pool.pool),
          UpdateExpression: 'SET #round.allocatedAt = :at, duePk = :pk, dueSk = :sk',
          ConditionExpression: 'attribute_exists(#round)',
          ExpressionAttributeNames: { '#round': 'round' },
          ExpressionAttributeValues: { ':at': at, ':pk': due.duePk, ':sk': due.dueSk },
        }),
      );
    }
    await this.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.round(service, id),
        UpdateExpression:
          'SET #status = :allocated, allocatedAt = :at, entrants = :entrants, placed = :placed REMOVE duePk, dueSk, drawLeaseUntil',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':allocated': 'allocated',
          ':at': at,
          ':entrants': stats.entrants,
          ':placed': stats.placed,
        },
      }),
    );
  }
}

/** Every page of a Query (up to `Limit` items when given). */
export async function queryAll(doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const out: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    out.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start && (input.Limit === undefined || out.length < input.Limit));
  return input.Limit === undefined ? out : out.slice(0, input.Limit);
}

/** A pool item (nursery intake) as the engine sees it. */
export function poolFromItem(item: Item): PoolState {
  const round = item.round as PoolState['round'];
  return {
    org: String(item.org),
    pool: String(item.pool),
    capacity: Number(item.capacity ?? 0),
    taken: Number(item.taken ?? 0),
    waiting: Number(item.waiting ?? 0),
    settled: Number(item.settled ?? 0),
    round: round ? { id: round.id, deadline: round.deadline, allocatedAt: round.allocatedAt } : undefined,
    data: item.data as Record<string, unknown> | undefined,
  };
}

function roundFromItem(item: Item): RoundRecord {
  const poolKeys = item.poolKeys instanceof Set ? [...(item.poolKeys as Set<string>)] : [];
  return {
    service: String(item.service),
    id: String(item.id),
    deadline: String(item.deadline),
    pools: poolKeys.sort().map((k) => {
      const cut = k.indexOf('#');
      return { org: k.slice(0, cut), pool: k.slice(cut + 1) };
    }),
    status: (item.status as RoundRecord['status']) ?? 'open',
    seed: item.seed as string | undefined,
    startedAt: item.startedAt as string | undefined,
    allocatedAt: item.allocatedAt as string | undefined,
    entrants: item.entrants as number | undefined,
    placed: item.placed as number | undefined,
  };
}

/** Organisations' records (`ORG#<id>`, `A`), as their modules stored them, keys left out. */
export class DynamoOrgReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(ids: string[]): Promise<Map<string, OrgRecord>> {
    const out = new Map<string, OrgRecord>();
    for (let i = 0; i < ids.length; i += 100) {
      let keysLeft: Record<string, unknown>[] | undefined = ids.slice(i, i + 100).map((id) => keys.org(id));
      while (keysLeft && keysLeft.length > 0) {
        const res = await this.doc.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: keysLeft, ConsistentRead: true } },
          }),
        );
        for (const item of res.Responses?.[this.tableName] ?? []) {
          const { pk, sk, gsi1pk, gsi1sk, ...record } = item;
          out.set(String(pk).slice('ORG#'.length), record as OrgRecord);
        }
        keysLeft = res.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return out;
  }
}
