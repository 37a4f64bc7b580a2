/**
 * Delivery records, one per event and channel (pk=APP#<id>, sk=N#<eventId> for e-mail,
 * N#<eventId>#sms for SMS): the notifier's idempotency and the delivery status shown on the case;
 * plus dead-letter records for events that kept failing, and the SMS day budget (spend guard).
 * Records hold statuses, message ids and error names only: never an address, number or text.
 * An unfinished record (sending, retrying) sits on the due index until it is settled, so one a
 * crashed consumer left behind is found and resumed by the sweeper, never dropped.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DeliveryChannel, DeliveryLog } from '#core/ports';
import { keys } from './keys.ts';

export type DeliveryStatus = 'sending' | 'sent' | 'retrying' | 'failed' | 'skipped';

export interface DeliveryRecord {
  eventId: string;
  channel: DeliveryChannel;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  updatedAt: string;
  messageId?: string;
  error?: string;
}

/** A 'sending' claim older than this is presumed dead (crashed consumer) and may be retried. */
const LEASE_MS = 60_000;
/** A 'retrying' delivery the stream has not retried within this is resumed by the sweeper. */
const RETRY_SWEEP_MS = 60_000;

export class DeliveryStore implements DeliveryLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Claims the right to send for this event, for a lease. Not ok when it was settled already, or
   * (`held`) while another claim's lease runs.
   */
  async claim(
    appId: string,
    eventId: string,
    eventType: string,
    now: Date,
    channel: DeliveryChannel = 'email',
  ): Promise<{ ok: true; attempts: number } | { ok: false; held: boolean }> {
    const lease = new Date(now.getTime() + LEASE_MS).toISOString();
    const due = keys.deliveryDue(lease, appId, eventId, channel);
    try {
      const res = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.delivery(appId, eventId, channel),
          UpdateExpression:
            'SET #s = :sending, updatedAt = :now, eventId = :eid, eventType = :type, #t = :kind, channel = :ch, leaseUntil = :lease, appId = :app, duePk = :duePk, dueSk = :dueSk ADD attempts :one',
          ConditionExpression:
            'attribute_not_exists(pk) OR #s = :retrying OR (#s = :sending AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#s': 'status', '#t': 'type' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':retrying': 'retrying',
            ':now': now.toISOString(),
            ':lease': lease,
            ':app': appId,
            ':duePk': due.duePk,
            ':dueSk': due.dueSk,
            ':eid': eventId,
            ':type': eventType,
            ':kind': 'delivery',
            ':ch': channel,
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { ok: true, attempts: Number(res.Attributes?.attempts ?? 1) };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const current = await this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.delivery(appId, eventId, channel),
          ConsistentRead: true,
        }),
      );
      return { ok: false, held: current.Item?.status === 'sending' };
    }
  }

  async unfinished(
    now: Date,
    limit: number,
  ): Promise<Array<{ appId: string; eventId: string; channel: DeliveryChannel }>> {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI3',
        KeyConditionExpression: 'duePk = :pk AND dueSk <= :now',
        ExpressionAttributeValues: { ':pk': keys.deliveryDuePk, ':now': `${now.toISOString()}#~` },
        Limit: limit,
      }),
    );
    return (res.Items ?? []).map((i) => ({
      appId: String(i.appId),
      eventId: String(i.eventId),
      channel: channelOf(i.channel),
    }));
  }

  async finish(
    appId: string,
    eventId: string,
    status: DeliveryStatus,
    now: Date,
    extra: { messageId?: string; error?: string } = {},
    channel: DeliveryChannel = 'email',
  ) {
    // a retry waits on the due index for the sweeper, in case the stream gives up on it
    const retry =
      status === 'retrying'
        ? keys.deliveryDue(new Date(now.getTime() + RETRY_SWEEP_MS).toISOString(), appId, eventId, channel)
        : undefined;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.delivery(appId, eventId, channel),
        UpdateExpression: retry
          ? 'SET #s = :s, updatedAt = :now, messageId = :mid, #e = :err, duePk = :duePk, dueSk = :dueSk REMOVE leaseUntil'
          : 'SET #s = :s, updatedAt = :now, messageId = :mid, #e = :err REMOVE leaseUntil, duePk, dueSk',
        ExpressionAttributeNames: { '#s': 'status', '#e': 'error' },
        ExpressionAttributeValues: {
          ':s': status,
          ':now': now.toISOString(),
          ':mid': extra.messageId ?? null,
          ':err': extra.error ?? null,
          ...(retry ? { ':duePk': retry.duePk, ':dueSk': retry.dueSk } : {}),
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
      channel: channelOf(i.channel),
      eventType: String(i.eventType),
      status: i.status as DeliveryStatus,
      attempts: Number(i.attempts ?? 0),
      updatedAt: String(i.updatedAt),
      ...(i.messageId ? { messageId: String(i.messageId) } : {}),
      ...(i.error ? { error: String(i.error) } : {}),
    }));
  }

  async sentCount(appId: string, channel: DeliveryChannel = 'email'): Promise<number> {
    return (await this.list(appId)).filter((d) => d.status === 'sent' && d.channel === channel).length;
  }

  async takeSmsBudget(now: Date, dailyCap: number): Promise<boolean> {
    // a fixed window per China day (UTC+8), shared by every Lambda through the table
    const day = Math.floor((now.getTime() + 8 * 3600_000) / 86_400_000);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.rateWindow('sms-day', 'all', day),
          UpdateExpression: 'ADD hits :one SET expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :cap',
          ExpressionAttributeValues: { ':one': 1, ':cap': dailyCap, ':exp': (day + 2) * 86_400 },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
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

/** Records written before SMS existed have no channel: they are e-mail's. */
const channelOf = (v: unknown): DeliveryChannel => (v === 'sms' ? 'sms' : 'email');
