/**
 * DynamoDB Streams consumer: e-mails the parent on new event items. Reports per-record failures
 * (ReportBatchItemFailures) so only failed records are retried; records that keep failing end up
 * in a dead-letter record (and, in AWS, the SQS on-failure destination).
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { DeliveryStore } from '#adapters/dynamodb/delivery-store';
import { eventOf } from '#adapters/dynamodb/stream-records';
import { SesMailer, sesClientConfig } from '#adapters/ses/mailer';
import { Notifier } from '#core/notifications/notifier';
import { optionalEnv } from '#shared/env';
import { logger } from '#shared/logger';
import { clock, wiring } from '#shared/wiring';

let notifier: Notifier | undefined;
async function getNotifier() {
  if (!notifier) {
    const w = wiring();
    await w.ready();
    notifier = new Notifier({
      repo: w.repo,
      deliveries: new DeliveryStore(w.doc, w.tableName),
      mailer: new SesMailer(
        sesClientConfig(),
        optionalEnv('MAIL_FROM', 'noreply@onestop.local'),
        optionalEnv('SES_CONFIGURATION_SET'),
      ),
      clock,
      consoleUrl: optionalEnv('CONSOLE_ORIGIN', 'http://127.0.0.1:3000'),
    });
  }
  return notifier;
}

export const handler = async (stream: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const failures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of stream.Records) {
    const event = eventOf(record);
    if (!event) continue;
    try {
      const outcome = await (await getNotifier()).handle(event);
      if (outcome === 'retry') failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
      logger.info('notification', { eventId: event.eventId, type: event.type, outcome });
    } catch (err) {
      logger.error('notification failed', { eventId: event.eventId, error: (err as Error).message });
      failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
    }
  }
  return { batchItemFailures: failures };
};
