/**
 * DynamoDB Streams consumer: notifies the parent (e-mail, SMS) on new event items. Reports per-record failures
 * (ReportBatchItemFailures) so only failed records are retried; records that keep failing end up
 * in a dead-letter record (and, in AWS, the SQS on-failure destination).
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { eventOf } from '#adapters/dynamodb/stream-records';
import { overallOutcome } from '#core/notifications/notifier';
import { optionalEnv } from '#shared/env';
import { logger } from '#shared/logger';
import { getNotifier } from '#shared/notifier-wiring';
// every service module (it mails about cases of them all)
import '#services/registry';

export const handler = async (stream: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const failures: DynamoDBBatchResponse['batchItemFailures'] = [];
  let textsSent = 0;
  for (const record of stream.Records) {
    const event = eventOf(record);
    if (!event) continue;
    try {
      const channels = await (await getNotifier()).handleChannels(event);
      const outcome = overallOutcome(channels);
      if (channels.sms === 'sent') textsSent++;
      if (outcome === 'retry') failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
      // outcomes only: never a recipient or a text
      logger.info('notification', { eventId: event.eventId, type: event.type, outcome, channels });
    } catch (err) {
      logger.error('notification failed', { eventId: event.eventId, error: (err as Error).message });
      failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
    }
  }
  // the SMS volume alarm's metric (lib/constructs/ops-alarms.ts), in embedded metric format (in
  // AWS only: locally the line would only add noise to the log)
  if (textsSent > 0 && optionalEnv('STAGE', 'local') !== 'local') {
    process.stdout.write(
      `${JSON.stringify({
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [
            { Namespace: 'Onestop', Dimensions: [['Stage']], Metrics: [{ Name: 'SmsSent', Unit: 'Count' }] },
          ],
        },
        Stage: optionalEnv('STAGE', 'local'),
        SmsSent: textsSent,
      })}\n`,
    );
  }
  return { batchItemFailures: failures };
};
