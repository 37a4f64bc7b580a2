/**
 * A yearly record published in versions (an aid standard, a living-allowance standard): the
 * current pointer replaced only on top of the version it was read at, the version itself written
 * once, and the seed it replaces stored by the first published change, so every version an
 * approval recorded stays in the table. The items of one transaction; the caller maps failures.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Key = { pk: string; sk: string };

export function publishVersionItems<R extends { year: number; version: number }>(
  tableName: string,
  keys: { current: (year: number) => Key; version: (year: number, version: number) => Key },
  type: string,
  next: R,
  previousVersion: number,
  seed?: R,
): TransactItem[] {
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName,
        Item: { ...keys.current(next.year), type, ...next },
        ...(previousVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: '#version = :previous',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':previous': previousVersion },
            }),
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: { ...keys.version(next.year, next.version), type, ...next },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  if (seed) {
    items.push({
      Put: { TableName: tableName, Item: { ...keys.version(seed.year, seed.version), type, ...seed } },
    });
  }
  return items;
}
