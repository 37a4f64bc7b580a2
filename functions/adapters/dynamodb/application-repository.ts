/**
 * ApplicationRepository on the single DynamoDB table. Every state change is ONE
 * TransactWriteItems: the application (version-checked), the touched task items, and one
 * append-only event item per change. ID numbers are encrypted on the way in and decrypted on the
 * way out, with a blind index per sensitive path for duplicate lookups.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { getPath, updatePath } from '#core/engine/paths';
import { nextTimerAt } from '#core/engine/transition';
import type { Application, DomainEvent, StepState, TransitionResult } from '#core/engine/types';
import { IdempotencyConflictError, VersionConflictError } from '#core/errors';
import type { ApplicationRepository, IdempotencyClaim, QueueQuery, TaskItem } from '#core/ports';
import { getService } from '#core/services/registry';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import { keys } from './keys.ts';

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

type Item = Record<string, unknown>;

export class DynamoApplicationRepository implements ApplicationRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly cipher: FieldCipher,
  ) {}

  async create(
    result: TransitionResult,
    idem?: IdempotencyClaim,
  ): Promise<{ app: Application; created: boolean }> {
    const { app } = result;
    const items = [
      {
        Put: {
          TableName: this.tableName,
          Item: this.appItem(app),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...this.taskAndEventPuts(result),
    ];
    if (idem) {
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
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return { app, created: true };
    } catch (err) {
      if (!idem || !isConditionFailure(err, items.length - 1)) throw mapTransactionError(err);
      const existing = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: keys.idempotency(idem.key), ConsistentRead: true }),
      );
      if (!existing.Item || existing.Item.bodyHash !== idem.bodyHash) throw new IdempotencyConflictError();
      const first = await this.get(String(existing.Item.appId));
      if (!first) throw new VersionConflictError();
      return { app: first, created: false };
    }
  }

  async get(id: string): Promise<Application | null> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.application(id), ConsistentRead: true }),
    );
    return res.Item ? this.fromItem(res.Item) : null;
  }

  async save(result: TransitionResult, expectedVersion: number): Promise<void> {
    const items = [
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
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      throw mapTransactionError(err);
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
    return items.filter((i) => i.type === 'application').map((i) => this.fromItem(i));
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
    return items.map((i) => i.event as DomainEvent);
  }

  async listByStatus(service: string, status: string, from: string, to: string): Promise<Application[]> {
    const items = await this.query({
      IndexName: 'GSI1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.appStatusIndex(service, status, '', '').gsi1pk,
        ':from': from,
        ':to': `${to}~`,
      },
    });
    return items.map((i) => this.fromItem(i));
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

  private async query(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const out: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: start }),
      );
      out.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start && (input.Limit === undefined || out.length < input.Limit));
    return out;
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
      idIndex: blind,
    };
  }

  private fromItem(item: Item): Application {
    const { pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, type, idIndex, ...rest } = item;
    const app = rest as unknown as Application;
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

/** Transaction cancellations become domain errors; anything else propagates as is. */
export function mapTransactionError(err: unknown): unknown {
  if (err instanceof TransactionCanceledException) {
    const codes = err.CancellationReasons?.map((r) => r.Code ?? 'None') ?? [];
    if (codes.some((c) => c === 'ConditionalCheckFailed' || c === 'TransactionConflict')) {
      return new VersionConflictError();
    }
  }
  if (err instanceof Error && err.name === 'TransactionConflictException') return new VersionConflictError();
  return err;
}
