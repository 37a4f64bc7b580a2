/**
 * 好差评 in the single table: the rating of a case (put if absent, in one transaction with the
 * follow-up a 差评 opens) and the follow-ups by status for the citizen service centre's queue.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { FollowUp, FollowUpStatus, Rating, RatingStore } from '#core/ratings';
import { queryAll } from './application-repository.ts';
import { keys } from './keys.ts';

type Item = Record<string, unknown>;

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'type'];
function strip<T>(item: Item | undefined): T | null {
  if (!item) return null;
  const out: Item = { ...item };
  for (const k of KEY_ATTRIBUTES) delete out[k];
  return out as T;
}

/** The China-time year of an instant. */
const chinaYear = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 4);

/** A follow-up is filed under the due date of its next duty: the call back, then the resolution. */
const followUpItem = (f: FollowUp): Item => ({
  ...keys.followUp(f.appId),
  ...keys.followUpIndex(f.status, f.status === 'open' ? f.contactDueAt : f.resolveDueAt, f.appId),
  type: 'follow-up',
  ...f,
});

export class DynamoRatingStore implements RatingStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(rating: Rating, followUp?: FollowUp): Promise<boolean> {
    const items: Item[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.rating(rating.appId),
            ...keys.ratingIndex(chinaYear(rating.ratedAt), rating.ratedAt, rating.appId),
            type: 'rating',
            ...rating,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (followUp) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: followUpItem(followUp),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items as never }));
      return true;
    } catch (err) {
      if (
        err instanceof TransactionCanceledException &&
        (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed')
      ) {
        return false;
      }
      throw err;
    }
  }

  async get(appId: string): Promise<Rating | null> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.rating(appId), ConsistentRead: true }),
    );
    return strip<Rating>(res.Item);
  }

  async getFollowUp(appId: string): Promise<FollowUp | null> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.followUp(appId), ConsistentRead: true }),
    );
    return strip<FollowUp>(res.Item);
  }

  async listFollowUps(status: FollowUpStatus, limit = 200): Promise<FollowUp[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.followUpIndex(status, '', '').gsi1pk },
      Limit: limit,
    });
    return items.slice(0, limit).map((i) => strip<FollowUp>(i) as FollowUp);
  }

  async updateFollowUp(appId: string, from: FollowUpStatus, next: FollowUp): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: followUpItem(next),
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':from': from },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async listRatings(year: number): Promise<Rating[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.ratingIndex(String(year), '', '').gsi1pk },
    });
    return items.map((i) => strip<Rating>(i) as Rating);
  }
}
