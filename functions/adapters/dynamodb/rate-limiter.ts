/**
 * Fixed-window rate limits per user and action, counted in the table (pk=RATE#…, TTL) so every
 * Lambda instance shares them. One conditional UpdateItem per request.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';

export interface RateLimiter {
  /** true when the call is within the limit (and counted), false when over it */
  hit(scope: string, subject: string, limit: number, windowSeconds: number, now?: Date): Promise<boolean>;
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
  ): Promise<boolean> {
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
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
