/**
 * E-mail delivery records (pk=APP#<id>, sk=N#<eventId>): the notifier's idempotency and the
 * delivery status shown on the case; plus dead-letter records for events that kept failing.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryLog } from '#core/ports';
import { keys } from './keys.ts';

export type DeliveryStatus = 'sending' | 'sent' | 'retrying' | 'failed' | 'skipped';

export interface DeliveryRecord {
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  updatedAt: string;
  messageId?: string;
  error?: string;
}

/** A 'sending' claim older than this is presumed dead (crashed consumer) and may be retried. */
const LEASE_MS = 60_000;

export class DeliveryStore implements DeliveryLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Claims the right to send for this event. False when it was sent (or is being sent) already. */
  async claim(
    appId: string,
    eventId: string,
    eventType: string,
    now: Date,
  ): Promise<{ ok: boolean; attempts: number }> {
    try {
      const res = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.delivery(appId, eventId),
          UpdateExpression:
            'SET #s = :sending, updatedAt = :now, eventId = :eid, eventType = :type, #t = :kind, leaseUntil = :lease ADD attempts :one',
          ConditionExpression:
            'attribute_not_exists(pk) OR #s = :retrying OR (#s = :sending AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#s': 'status', '#t': 'type' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':retrying': 'retrying',
            ':now': now.toISOString(),
            ':lease': new Date(now.getTime() + LEASE_MS).toISOString(),
            ':eid': eventId,
            ':type': eventType,
            ':kind': 'delivery',
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { ok: true, attempts: Number(res.Attributes?.attempts ?? 1) };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return { ok: false, attempts: 0 };
      throw err;
    }
  }

  async finish(
    appId: string,
    eventId: string,
    status: DeliveryStatus,
    now: Date,
    extra: { messageId?: string; error?: string } = {},
  ) {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.delivery(appId, eventId),
        UpdateExpression: 'SET #s = :s, updatedAt = :now, messageId = :mid, #e = :err REMOVE leaseUntil',
        ExpressionAttributeNames: { '#s': 'status', '#e': 'error' },
        ExpressionAttributeValues: {
          ':s': status,
          ':now': now.toISOString(),
          ':mid': extra.messageId ?? null,
          ':err': extra.error ?? null,
        },
      }),
    );
  }

  async list(appId: string): Promise<DeliveryRecord[]> {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :n)',
        ExpressionAttributeValues: { ':pk': keys.appPk(appId), ':n': 'N#' },
      }),
    );
    return (res.Items ?? []).map((i) => ({
      eventId: String(i.eventId),
      eventType: String(i.eventType),
      status: i.status as DeliveryStatus,
      attempts: Number(i.attempts ?? 0),
      updatedAt: String(i.updatedAt),
      ...(i.messageId ? { messageId: String(i.messageId) } : {}),
      ...(i.error ? { error: String(i.error) } : {}),
    }));
  }

  async sentCount(appId: string): Promise<number> {
    return (await this.list(appId)).filter((d) => d.status === 'sent').length;
  }

  async deadLetter(consumer: string, id: string, record: Record<string, unknown>, now: Date) {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.deadLetter(consumer, `${now.toISOString()}#${id}`),
          type: 'dead-letter',
          consumer,
          at: now.toISOString(),
          ...record,
        },
      }),
    );
  }

  async listDeadLetters(consumer: string): Promise<Array<Record<string, unknown>>> {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.deadLetterPk(consumer) },
      }),
    );
    return res.Items ?? [];
  }
}
