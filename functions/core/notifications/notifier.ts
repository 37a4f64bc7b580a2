/**
 * The e-mail consumer's logic, independent of the stream plumbing: for one domain event, send the
 * parent's e-mail at most once (claimed by event id), record the delivery status on the case, and
 * after MAX_ATTEMPTS give up into a dead-letter record. A failed e-mail never touches the
 * application itself: transitions are already committed when their events arrive here.
 */

import { getService } from '#core/catalog';
import type { DomainEvent } from '../engine/types.ts';
import type { ServiceMail } from '../module.ts';
import type { ApplicationRepository, Clock, DeliveryLog, Mailer } from '../ports.ts';
import { renderMail, shouldNotify } from './templates.ts';

export const MAX_ATTEMPTS = 3;
/** No application legitimately needs more; beyond it, mails are recorded as skipped. */
export const MAX_MAILS_PER_APPLICATION = 40;

export type NotifyOutcome =
  | 'sent'
  | 'duplicate'
  | 'not-notified'
  | 'no-recipient'
  | 'over-limit'
  | 'retry'
  | 'dead-lettered';

export class Notifier {
  constructor(
    private readonly deps: {
      repo: ApplicationRepository;
      deliveries: DeliveryLog;
      mailer: Mailer;
      clock: Clock;
      consoleUrl: string;
      /** a service's own mail texts (ServiceModule.mail), loaded by the entry point */
      serviceMail?: (service: string) => ServiceMail | undefined;
    },
  ) {}

  async handle(event: DomainEvent): Promise<NotifyOutcome> {
    if (!shouldNotify(event)) return 'not-notified';
    const { repo, deliveries, mailer, clock } = this.deps;
    const claim = await deliveries.claim(event.appId, event.eventId, event.type, clock.now());
    if (!claim.ok) return 'duplicate';
    const app = await repo.get(event.appId);
    if (!app?.contactEmail) {
      await deliveries.finish(event.appId, event.eventId, 'skipped', clock.now(), { error: 'no recipient' });
      return 'no-recipient';
    }
    if ((await deliveries.sentCount(event.appId)) >= MAX_MAILS_PER_APPLICATION) {
      await deliveries.finish(event.appId, event.eventId, 'skipped', clock.now(), {
        error: 'per-application mail limit',
      });
      return 'over-limit';
    }
    const mail = renderMail(
      getService(app.service),
      app,
      event,
      this.deps.consoleUrl,
      this.deps.serviceMail?.(app.service),
    );
    try {
      const { messageId } = await mailer.send(app.contactEmail, mail.subject, mail.text);
      await deliveries.finish(event.appId, event.eventId, 'sent', clock.now(), { messageId });
      return 'sent';
    } catch (err) {
      const error = `${(err as Error).name}: ${(err as Error).message}`.slice(0, 300);
      if (claim.attempts >= MAX_ATTEMPTS) {
        await deliveries.finish(event.appId, event.eventId, 'failed', clock.now(), { error });
        await deliveries.deadLetter(
          'notifier',
          event.eventId,
          {
            appId: event.appId,
            eventId: event.eventId,
            eventType: event.type,
            error,
            attempts: claim.attempts,
          },
          clock.now(),
        );
        return 'dead-lettered';
      }
      await deliveries.finish(event.appId, event.eventId, 'retrying', clock.now(), { error });
      return 'retry';
    }
  }
}
