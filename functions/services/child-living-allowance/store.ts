/**
 * This module's items in the single table (keys.ts): living standards, allowances, payments and
 * payment batches. Every change that concerns a case joins that case's history through the
 * kernel's numbering (#adapters/dynamodb/history) in the same transaction.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { historyItems } from '#adapters/dynamodb/history';
import { keys } from '#adapters/dynamodb/keys';
import { publishVersionItems } from '#adapters/dynamodb/versioned';
import type { PendingEvent } from '#core/engine/types';
import { StateConflictError, VersionConflictError } from '#core/errors';
import { t } from '#core/i18n';
import { allowanceKeys as k } from '#services/child-living-allowance/keys';
import type { LivingStandard } from '#services/child-living-allowance/reference';
import type { Allowance, Payment, PaymentBatch } from '#services/child-living-allowance/types';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const MAX_ATTEMPTS = 8;
/** DynamoDB takes at most 100 items per transaction; the batch item goes with the first chunk. */
const FIRST_CHUNK = 98;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A conflict with a specific, stable code (HTTP 409). */
export class AllowanceConflictError extends StateConflictError {}

const strip = <T>(item: Record<string, unknown> | undefined): T | null => {
  if (!item) return null;
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, type: _e, ...rest } = item;
  return rest as T;
};

export class AllowanceStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // ── standards ───────────────────────────────────────────────────────────────────────────────
  async currentStandard(year: number): Promise<LivingStandard | null> {
    return this.get<LivingStandard>(k.standardCurrent(year));
  }

  async publishStandard(next: LivingStandard, previousVersion: number, seed?: LivingStandard) {
    const items = publishVersionItems(
      this.tableName,
      { current: k.standardCurrent, version: k.standard },
      'cla-standard',
      next,
      previousVersion,
      seed,
    );
    await this.transact(
      () => items,
      [],
      () =>
        new AllowanceConflictError(
          'STANDARD_CHANGED',
          t(
            '保障标准刚被他人更新，请刷新后重试',
            'The standard was just changed by someone else; reload and retry',
          ),
        ),
    );
  }

  // ── allowances ──────────────────────────────────────────────────────────────────────────────
  getAllowance(appId: string): Promise<Allowance | null> {
    return this.get<Allowance>(k.allowance(appId));
  }

  /** Creates the allowance of a confirmed case once (a second call changes nothing). */
  async createAllowance(a: Allowance, events: PendingEvent[]): Promise<boolean> {
    try {
      await this.transact(
        () => [
          {
            Put: {
              TableName: this.tableName,
              Item: this.allowanceItem(a),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
        events,
        () => new AllowanceConflictError('ALLOWANCE_EXISTS', t('保障已建立', 'The allowance exists')),
      );
      return true;
    } catch (err) {
      if (err instanceof AllowanceConflictError && err.code === 'ALLOWANCE_EXISTS') return false;
      throw err;
    }
  }

  /**
   * Saves a changed allowance if nobody changed it since `expectedVersion` (a lost race: 409), with
   * its events and any payments to cancel (months after the last one paid), in one transaction.
   */
  async saveAllowance(a: Allowance, expectedVersion: number, events: PendingEvent[], cancel: Payment[] = []) {
    await this.transact(
      () => [
        {
          Put: {
            TableName: this.tableName,
            Item: this.allowanceItem(a),
            ConditionExpression: '#version = :v',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':v': expectedVersion },
          },
        },
        ...cancel.map(
          (p): TransactItem => ({
            Update: {
              TableName: this.tableName,
              Key: k.payment(p.appId, p.month),
              UpdateExpression: 'SET #status = :cancelled',
              ConditionExpression: '#status = :pending',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':cancelled': 'cancelled', ':pending': 'pending' },
            },
          }),
        ),
      ],
      events,
      (index) =>
        index === 0
          ? new AllowanceConflictError(
              'ALLOWANCE_CHANGED',
              t(
                '该保障刚被他人处理，请刷新后重试',
                'The allowance was just changed by someone else; reload and retry',
              ),
            )
          : new VersionConflictError(),
    );
  }

  private allowanceItem(a: Allowance) {
    return {
      ...k.allowance(a.appId),
      type: 'cla-allowance',
      ...k.townshipIndex(a.township, a.appId),
      ...(a.status === 'active' ? k.activeIndex(a.appId) : {}),
      ...a,
    };
  }

  listTownship(township: string): Promise<Allowance[]> {
    return this.query<Allowance>({
      IndexName: 'GSI1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': k.townshipPk(township) },
    });
  }

  listActive(): Promise<Allowance[]> {
    return this.query<Allowance>({
      IndexName: 'GSI2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': k.activePk },
    });
  }

  /** Ids of the service's completed (confirmed) cases, from the kernel's status index. */
  async completedCases(service: string): Promise<string[]> {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.appStatusIndex(service, 'completed', '', '').gsi1pk },
          ProjectionExpression: 'pk',
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? []) ids.push(String(item.pk).slice('APP#'.length));
      start = res.LastEvaluatedKey;
    } while (start);
    return ids;
  }

  // ── payments and batches ────────────────────────────────────────────────────────────────────
  listPayments(appId: string): Promise<Payment[]> {
    return this.query<Payment>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': k.allowance(appId).pk, ':p': k.paymentPrefix },
      ConsistentRead: true,
    });
  }

  getBatch(township: string, month: string): Promise<PaymentBatch | null> {
    return this.get<PaymentBatch>(k.batch(township, month));
  }

  listBatchPayments(township: string, month: string): Promise<Payment[]> {
    return this.query<Payment>({
      IndexName: 'GSI1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': k.batchPaymentsPk(township, month) },
    });
  }

  listMonthBatches(month: string): Promise<PaymentBatch[]> {
    return this.query<PaymentBatch>({
      IndexName: 'GSI1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': k.monthBatchesPk(month) },
    });
  }

  /**
   * Creates a township's batch for a month with its payment records. The batch item is put only
   * if absent, in the same transaction as the first payments: of two concurrent creations exactly
   * one succeeds; the other gets BATCH_EXISTS (409).
   */
  async createBatch(batch: PaymentBatch, payments: Payment[]) {
    const put = (p: Payment): TransactItem => ({
      Put: {
        TableName: this.tableName,
        Item: {
          ...k.payment(p.appId, p.month),
          type: 'cla-payment',
          ...k.batchPaymentsIndex(p.township, p.month, p.appId),
          ...p,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    const exists = () =>
      new AllowanceConflictError(
        'BATCH_EXISTS',
        t(`${batch.month} 月的发放批次已存在`, `The payment batch for ${batch.month} already exists`),
      );
    await this.transact(
      () => [
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...k.batch(batch.township, batch.month),
              type: 'cla-batch',
              ...k.monthBatchesIndex(batch.month, batch.township),
              ...batch,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...payments.slice(0, FIRST_CHUNK).map(put),
      ],
      [],
      (index) => (index === 0 ? exists() : new VersionConflictError()),
    );
    // the rest, each only if absent (the batch already belongs to this creation)
    for (let i = FIRST_CHUNK; i < payments.length; i += 25) {
      await this.transact(
        () => payments.slice(i, i + 25).map(put),
        [],
        () => new VersionConflictError(),
      );
    }
  }

  /** open → closed, or closed → paid; a second click finds the batch moved on (409). */
  async moveBatch(
    township: string,
    month: string,
    from: PaymentBatch['status'],
    patch: Partial<PaymentBatch> & { status: PaymentBatch['status'] },
  ) {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':from': from };
    const sets: string[] = [];
    for (const [key, value] of Object.entries(patch)) {
      names[`#${key}`] = key;
      values[`:${key}`] = value;
      sets.push(`#${key} = :${key}`);
    }
    await this.transact(
      () => [
        {
          Update: {
            TableName: this.tableName,
            Key: k.batch(township, month),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: '#status = :from',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
      ],
      [],
      () =>
        new AllowanceConflictError(
          'BATCH_STATE',
          t(`发放批次不在「${from}」状态，不能办理`, `The batch is not ${from}; it cannot move on`),
        ),
    );
  }

  /** Marks one payment paid with its event in the case history; false if it was not pending. */
  async markPaymentPaid(p: Payment, reference: string, at: string, events: PendingEvent[]): Promise<boolean> {
    try {
      await this.transact(
        () => [
          {
            Update: {
              TableName: this.tableName,
              Key: k.payment(p.appId, p.month),
              UpdateExpression: 'SET #status = :paid, paidAt = :at, paymentReference = :ref',
              ConditionExpression: '#status = :pending',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':paid': 'paid',
                ':pending': 'pending',
                ':at': at,
                ':ref': reference,
              },
            },
          },
        ],
        events,
        () =>
          new AllowanceConflictError('PAYMENT_STATE', t('该笔发放不在待发放状态', 'Not a pending payment')),
      );
      return true;
    } catch (err) {
      if (err instanceof AllowanceConflictError && err.code === 'PAYMENT_STATE') return false;
      throw err;
    }
  }

  // ── plumbing ────────────────────────────────────────────────────────────────────────────────
  private async get<T>(key: { pk: string; sk: string }): Promise<T | null> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return strip<T>(res.Item);
  }

  private async query<T>(input: Omit<QueryCommandInput, 'TableName'>): Promise<T[]> {
    const out: T[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({ TableName: this.tableName, ...input, ExclusiveStartKey: start }),
      );
      for (const item of res.Items ?? []) out.push(strip<T>(item) as T);
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /**
   * One transaction: `build()`'s items, then the events' history items (numbered afresh on each
   * attempt). A failed condition on one of `build()`'s items becomes `failure(index)`; a failed
   * history counter (a concurrent writer of the same history) or a transaction conflict is retried.
   */
  private async transact(
    build: () => TransactItem[],
    events: PendingEvent[],
    failure: (index: number) => Error,
  ) {
    for (let attempt = 1; ; attempt++) {
      const own = build();
      const history = events.length > 0 ? await historyItems(this.doc, this.tableName, events) : undefined;
      const items = [...own, ...(history ? [...history.puts, ...history.counters] : [])];
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const reasons = err.CancellationReasons ?? [];
        const failed = reasons.findIndex((r, i) => r.Code === 'ConditionalCheckFailed' && i < own.length);
        if (failed >= 0) throw failure(failed);
        const retryable = reasons.every((r) =>
          ['None', 'ConditionalCheckFailed', 'TransactionConflict', undefined].includes(r.Code),
        );
        if (!retryable) throw err;
        if (attempt >= MAX_ATTEMPTS) throw new VersionConflictError();
        await sleep(Math.random() * Math.min(120, 10 * attempt));
      }
    }
  }
}
