/**
 * An application's event items as a DynamoDB Streams batch, exactly as Lambda receives it (for
 * the stream consumers' tests).
 */

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { freshTable } from './dynamo.ts';

export async function streamBatch(
  table: Awaited<ReturnType<typeof freshTable>>,
  appId: string,
): Promise<DynamoDBStreamEvent> {
  const res = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': `APP#${appId}`, ':e': 'E#' },
    }),
  );
  return {
    Records: (res.Items ?? []).map((item, i) => ({
      eventID: `${i}`,
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
        NewImage: marshall(item, { removeUndefinedValues: true }) as never,
        SequenceNumber: String(1000 + i),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    })),
  };
}
