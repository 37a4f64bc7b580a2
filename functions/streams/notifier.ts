/**
 * DynamoDB Streams consumer: e-mails the parent on new event items. Reports per-record failures
 * (ReportBatchItemFailures) so only failed records are retried; records that keep failing end up
 * in a dead-letter record (and, in AWS, the SQS on-failure destination).
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { DeliveryStore } from '#adapters/dynamodb/delivery-store';
import { eventOf } from '#adapters/dynamodb/stream-records';
import { makeSesClient, SesMailer } from '#adapters/ses/mailer';
import { installedModules } from '#core/catalog';
import type { ServiceMail } from '#core/module';
import { Notifier } from '#core/notifications/notifier';
import { optionalEnv } from '#shared/env';
import { logger } from '#shared/logger';
import { clock, wiring } from '#shared/wiring';
// every service module (this function serves them all)
import '#services/registry';

/**
 * The modules' own mail texts (`functions/services/<id>/mail.ts`, ServiceModule.mail). The
 * template import lets the bundler include every module's mail.ts in this function only.
 */
async function serviceMails(): Promise<Map<string, ServiceMail>> {
  const out = new Map<string, ServiceMail>();
  for (const m of installedModules()) {
    if (!m.mail) continue;
    const id = m.definition.id;
    const mod = (await import(/* @vite-ignore */ `../services/${id}/mail.ts`)) as { mail: ServiceMail };
    out.set(id, mod.mail);
  }
  return out;
}

let notifier: Notifier | undefined;
async function getNotifier() {
  if (!notifier) {
    const w = wiring();
    await w.ready();
    const mails = await serviceMails();
    notifier = new Notifier({
      repo: w.repo,
      deliveries: new DeliveryStore(w.doc, w.tableName),
      mailer: new SesMailer(
        makeSesClient(),
        optionalEnv('MAIL_FROM', 'noreply@onestop.local'),
        optionalEnv('SES_CONFIGURATION_SET'),
      ),
      clock,
      consoleUrl: optionalEnv('CONSOLE_ORIGIN', 'http://127.0.0.1:3000'),
      serviceMail: (service) => mails.get(service),
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
