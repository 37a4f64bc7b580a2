/**
 * DynamoDB Streams consumer: keeps the daily statistics (DDSketches and counters) from new event
 * items. Idempotent per event id (the store writes a marker in the same transaction), so
 * redelivered batches change no figure. Reports per-record failures (ReportBatchItemFailures);
 * records that keep failing go to the mapping's on-failure destination.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { eventOf } from '#adapters/dynamodb/stream-records';
import { contributionsOf } from '#core/analytics/consumer';
import type { DomainEvent } from '#core/engine/types';
import { logger } from '#shared/logger';

import { statsStore } from '#shared/stats-wiring';

const getStore = statsStore;

export const handler = async (stream: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const bySequence: Array<{ sequence: string; eventId: string }> = [];
  const events: DomainEvent[] = [];
  for (const record of stream.Records) {
    const event = eventOf(record);
    if (!event) continue;
    events.push(event);
    bySequence.push({ sequence: record.dynamodb?.SequenceNumber ?? '', eventId: event.eventId });
  }
  if (events.length === 0) return { batchItemFailures: [] };
  let failed: Set<string>;
  try {
    const result = await getStore().apply(contributionsOf(events));
    failed = new Set(result.failed);
    logger.info('metrics', {
      records: stream.Records.length,
      applied: result.applied,
      duplicates: result.duplicates,
      failed: result.failed.length,
    });
  } catch (err) {
    logger.error('metrics failed', { records: stream.Records.length, error: (err as Error).message });
    failed = new Set(events.map((e) => e.eventId));
  }
  return {
    batchItemFailures: bySequence
      .filter((r) => failed.has(r.eventId))
      .map((r) => ({ itemIdentifier: r.sequence })),
  };
};
