/**
 * Reading domain events out of DynamoDB Streams records. Only inserted event items count — the
 * same test as the consumers' Lambda event filter in AWS (`eventName` INSERT, `type` "event") —
 * and it is made on the raw image, so other items (budgets, pools, drafts…) are never unmarshalled:
 * locally, where the stream poller delivers every record, one of them must not fail a batch.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { DomainEvent } from '#core/engine/types';

export function eventOf(record: DynamoDBRecord): DomainEvent | undefined {
  const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  if (record.eventName !== 'INSERT' || image?.type?.S !== 'event' || !image.event) return undefined;
  return unmarshall(image).event as DomainEvent;
}
