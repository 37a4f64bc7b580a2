/**
 * The record of each agency's SLA digest of a day (pk=DIGEST#<day>, sk=<agency>): claimed for a
 * lease before the mail is sent, so two sweeps at once send one digest and a sweep that died
 * mid-send is taken over when its lease runs out; then settled as sent, empty or no-inbox.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DigestLog, DigestOutcome } from '#core/notifications/sla-digest';
import { keys } from './keys.ts';

const LEASE_MS = 5 * 60_000;
const KEEP_DAYS = 40;

export class DynamoDigestLog implements DigestLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private ttl(now: Date) {
    return Math.floor(now.getTime() / 1000) + KEEP_DAYS * 86_400;
  }

  async settled(day: string): Promise<Set<string>> {
    const out = new Set<string>();
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.digestPk(day) },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? []) if (item.status !== 'sending') out.add(String(item.sk));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async claim(day: string, agency: string, now: Date): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.digest(day, agency),
          UpdateExpression:
            'SET #s = :sending, leaseUntil = :lease, #t = :type, expiresAt = :ttl ADD attempts :one',
          ConditionExpression: 'attribute_not_exists(pk) OR (#s = :sending AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#s': 'status', '#t': 'type' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':lease': new Date(now.getTime() + LEASE_MS).toISOString(),
            ':now': now.toISOString(),
            ':type': 'sla-digest',
            ':ttl': this.ttl(now),
            ':one': 1,
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async finish(day: string, agency: string, outcome: DigestOutcome, now: Date): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.digest(day, agency),
        UpdateExpression:
          'SET #s = :s, cases = :cases, messageId = :mid, settledAt = :now, #t = :type, expiresAt = :ttl REMOVE leaseUntil',
        ExpressionAttributeNames: { '#s': 'status', '#t': 'type' },
        ExpressionAttributeValues: {
          ':s': outcome.status,
          ':cases': outcome.cases,
          ':mid': outcome.messageId ?? null,
          ':now': now.toISOString(),
          ':type': 'sla-digest',
          ':ttl': this.ttl(now),
        },
      }),
    );
  }
}
