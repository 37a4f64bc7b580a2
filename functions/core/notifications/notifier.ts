/**
 * The e-mail consumer's logic, independent of the stream plumbing: for one domain event, send the
 * parent's e-mail at most once (claimed by event id), record the delivery status on the case, and
 * after MAX_ATTEMPTS give up into a dead-letter record. A failed e-mail never touches the
 * application itself: transitions are already committed when their events arrive here.
 * A claim whose consumer died (crash after claiming, event redelivered within the lease) is not
 * a duplicate: it stays unfinished and the sweeper resumes it once the lease has run out.
 */

import { getModule, getService } from '#core/catalog';
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
  /** another claim's lease is running; if its consumer died, `resumeUnfinished` sends it */
  | 'in-flight'
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
    const moduleNews = getModule(event.service)?.mailEvents?.includes(event.type) ?? false;
    if (!moduleNews && !shouldNotify(event)) return 'not-notified';
    const { repo, deliveries, mailer, clock } = this.deps;
    const claim = await deliveries.claim(event.appId, event.eventId, event.type, clock.now());
    if (!claim.ok) return claim.held ? 'in-flight' : 'duplicate';
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

  /**
   * The sweeper's part: deliveries nobody is finishing (a consumer died holding the lease, or the
   * stream gave up on a retry) are handled again, so a claimed e-mail is never dropped.
   */
  async resumeUnfinished(limit = 50): Promise<Record<NotifyOutcome, number>> {
    const { repo, deliveries, clock } = this.deps;
    const counts = {} as Record<NotifyOutcome, number>;
    for (const { appId, eventId } of await deliveries.unfinished(clock.now(), limit)) {
      const event = (await repo.listEvents(appId)).find((e) => e.eventId === eventId);
      const outcome: NotifyOutcome = event ? await this.handle(event) : 'not-notified';
      if (!event) {
        await deliveries.finish(appId, eventId, 'skipped', clock.now(), { error: 'event not found' });
      }
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }
    return counts;
  }
}
