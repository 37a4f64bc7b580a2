/**
 * Fixed-window rate limits per user and action, counted in the table (pk=RATE#…, TTL) so every
 * Lambda instance shares them. One conditional UpdateItem per request.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';

/** Within the limit (and counted), or over it until the window ends in `retryAfterSeconds`. */
export type RateVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  hit(scope: string, subject: string, limit: number, windowSeconds: number, now?: Date): Promise<RateVerdict>;
}

export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hit(
    scope: string,
    subject: string,
    limit: number,
    windowSeconds: number,
    now = new Date(),
  ): Promise<RateVerdict> {
    const window = Math.floor(now.getTime() / 1000 / windowSeconds);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.rateWindow(scope, subject, window),
          UpdateExpression: 'ADD hits :one SET expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':exp': (window + 2) * windowSeconds },
        }),
      );
      return { allowed: true };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const windowEnd = (window + 1) * windowSeconds;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(windowEnd - now.getTime() / 1000)) };
    }
  }
}
