/**
 * An application's event history: the one place besides the engine that numbers events. A
 * module's own events (a document viewed, a claim filed) join the history of their application
 * in the module's transaction: the application's counter moves from n to n + k (and its version
 * by one, so a concurrent engine transition based on the old state fails its version check
 * instead of reusing those numbers), and the events are written as n … n + k − 1. Two writers
 * that read the same n cannot both commit: gap-free, never duplicated.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { DomainEvent, PendingEvent } from '#core/engine/types';
import { NotFoundError } from '#core/errors';
import { t } from '#core/i18n';
import { keys } from './keys.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** How many events an application item says its history holds (0 for an item from before the counter). */
export async function countEvents(doc: DynamoDBDocumentClient, tableName: string, appId: string) {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const res = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
        ExpressionAttributeValues: { ':pk': keys.application(appId).pk, ':e': 'E#' },
        Select: 'COUNT',
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    count += res.Count ?? 0;
    start = res.LastEvaluatedKey;
  } while (start);
  return count;
}

/**
 * Transaction items that append `events` to their applications' histories: per application one
 * conditional counter update, and one put per event (in the order given), numbered in that order. Read afresh
 * for every attempt of the transaction (a lost race fails the condition and is retried).
 */
export async function historyItems(
  doc: DynamoDBDocumentClient,
  tableName: string,
  events: readonly PendingEvent[],
): Promise<{ counters: TransactItem[]; puts: TransactItem[]; numbered: DomainEvent<string>[] }> {
  const byApp = new Map<string, PendingEvent[]>();
  for (const e of events) byApp.set(e.appId, [...(byApp.get(e.appId) ?? []), e]);
  const counters: TransactItem[] = [];
  const putOf = new Map<PendingEvent, TransactItem>();
  const numbered: DomainEvent<string>[] = [];
  for (const [appId, list] of byApp) {
    const res = await doc.send(
      new GetCommand({
        TableName: tableName,
        Key: keys.application(appId),
        ConsistentRead: true,
        ProjectionExpression: 'version, eventSeq',
      }),
    );
    if (!res.Item) throw new NotFoundError(t('申请不存在', 'No such application'));
    const version = Number(res.Item.version);
    const first =
      typeof res.Item.eventSeq === 'number' ? res.Item.eventSeq : await countEvents(doc, tableName, appId);
    counters.push({
      Update: {
        TableName: tableName,
        Key: keys.application(appId),
        UpdateExpression: 'SET eventSeq = :next, version = :nextVersion',
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: {
          ':next': first + list.length,
          ':version': version,
          ':nextVersion': version + 1,
        },
      },
    });
    list.forEach((e, i) => {
      const event = { ...e, seq: first + i } as DomainEvent<string>;
      numbered.push(event);
      putOf.set(e, {
        Put: {
          TableName: tableName,
          Item: { ...keys.event(appId, event.at, version + 1, event.seq), type: 'event', event },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    });
  }
  // in the order given, whatever the applications
  const puts = events.map((e) => putOf.get(e) as TransactItem);
  return { counters, puts, numbered };
}
