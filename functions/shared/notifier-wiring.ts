/**
 * The notifier (e-mail and SMS) with its adapters, built once per cold start: the stream consumer sends
 * through it and the sweeper resumes deliveries a crashed consumer left unfinished.
 */
import { DeliveryStore } from '#adapters/dynamodb/delivery-store';
import { SesMailer, sesClientConfig } from '#adapters/ses/mailer';
import { SmtpMailer, smtpSettingsFromEnv } from '#adapters/smtp/mailer';
import { installedModules } from '#core/catalog';
import type { ServiceMail } from '#core/module';
import { Notifier } from '#core/notifications/notifier';
import type { Mailer } from '#core/ports';
import { optionalEnv } from './env.ts';
import { smsFromEnv } from './sms-wiring.ts';
import { clock, wiring } from './wiring.ts';

/**
 * The modules' own mail texts (`functions/services/<id>/mail.ts`, ServiceModule.mail). The
 * template import lets the bundler include every module's mail.ts in these functions only.
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

/** MAIL_TRANSPORT=smtp (the China stage's relay) or ses (the default). */
export function mailerFromEnv(): Mailer {
  const from = optionalEnv('MAIL_FROM', 'noreply@onestop.local');
  const transport = optionalEnv('MAIL_TRANSPORT', 'ses');
  if (transport === 'smtp') return new SmtpMailer(smtpSettingsFromEnv(), from);
  if (transport !== 'ses') throw new Error(`MAIL_TRANSPORT must be ses or smtp (got "${transport}")`);
  return new SesMailer(sesClientConfig(), from, optionalEnv('SES_CONFIGURATION_SET'));
}

let notifier: Notifier | undefined;

export async function getNotifier(): Promise<Notifier> {
  if (!notifier) {
    const w = wiring();
    await w.ready();
    const mails = await serviceMails();
    notifier = new Notifier({
      repo: w.repo,
      deliveries: new DeliveryStore(w.doc, w.tableName),
      mailer: mailerFromEnv(),
      sms: smsFromEnv(),
      smsDailyCap: Number(optionalEnv('SMS_DAILY_CAP', '2000')),
      clock,
      consoleUrl: optionalEnv('CONSOLE_ORIGIN', 'http://127.0.0.1:3000'),
      serviceMail: (service) => mails.get(service),
    });
  }
  return notifier;
}
