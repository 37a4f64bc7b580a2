/**
 * The e-mail notifier with its adapters, built once per cold start: the stream consumer sends
 * through it and the sweeper resumes deliveries a crashed consumer left unfinished.
 */
import { DeliveryStore } from '#adapters/dynamodb/delivery-store';
import { SesMailer, sesClientConfig } from '#adapters/ses/mailer';
import { Notifier } from '#core/notifications/notifier';
import { optionalEnv } from './env.ts';
import { clock, wiring } from './wiring.ts';

let notifier: Notifier | undefined;

export async function getNotifier(): Promise<Notifier> {
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
