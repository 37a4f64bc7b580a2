/**
 * One-time codes (keys.oneTimeCode: the progress lookup's, a guardian's link, an agent's
 * authorisation; sk=C): the keyed hash of the code,
 * the attempts made and the expiry (also the table's TTL attribute, which DynamoDB applies
 * lazily: expiry is checked in every condition too).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CodeFor, ProgressCodeStore } from '#core/ports';
import { keys } from './keys.ts';

export class DynamoProgressCodes implements ProgressCodeStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(code: CodeFor, hash: string, expiresAt: Date): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.oneTimeCode(code),
          type: 'progress-code',
          hash,
          attempts: 0,
          expiresAt: Math.floor(expiresAt.getTime() / 1000),
        },
      }),
    );
  }

  async attempt(code: CodeFor, now: Date, maxAttempts: number): Promise<string | null> {
    try {
      const res = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.oneTimeCode(code),
          UpdateExpression: 'ADD attempts :one',
          ConditionExpression: 'attribute_exists(pk) AND attempts < :max AND expiresAt > :now',
          ExpressionAttributeValues: {
            ':one': 1,
            ':max': maxAttempts,
            ':now': Math.floor(now.getTime() / 1000),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return typeof res.Attributes?.hash === 'string' ? res.Attributes.hash : null;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return null;
      throw err;
    }
  }

  async remove(code: CodeFor): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keys.oneTimeCode(code) }));
  }
}
