/**
 * The notification consumer's logic, independent of the stream plumbing: for one domain event,
 * notify the parent on each channel the form chose (e-mail, SMS or both) at most once per channel
 * (claimed by event id and channel), record each channel's delivery status on the case, and after
 * MAX_ATTEMPTS give up into a dead-letter record. A failed message never touches the application
 * itself: transitions are already committed when their events arrive here.
 * A claim whose consumer died (crash after claiming, event redelivered within the lease) is not
 * a duplicate: it stays unfinished and the sweeper resumes it once the lease has run out.
 * SMS is also bounded by a day budget shared by all senders (the spend guard).
 */

import { getModule, getService } from '#core/catalog';
import type { Application, DomainEvent } from '../engine/types.ts';
import type { ServiceMail } from '../module.ts';
import type {
  ApplicationRepository,
  Clock,
  DeliveryChannel,
  DeliveryLog,
  Mailer,
  SmsSender,
} from '../ports.ts';
import { renderMail, renderSms, shouldNotify, smsContent } from './templates.ts';

export const MAX_ATTEMPTS = 3;
/** No application legitimately needs more; beyond it, mails are recorded as skipped. */
export const MAX_MAILS_PER_APPLICATION = 40;
/** The same bound for text messages (each costs money). */
export const MAX_SMS_PER_APPLICATION = 40;
/** The SMS day cap when the stage configures none (lib/config/stage-config.ts sets it). */
export const DEFAULT_SMS_DAILY_CAP = 2000;

export type NotifyOutcome =
  | 'sent'
  | 'duplicate'
  /** another claim's lease is running; if its consumer died, `resumeUnfinished` sends it */
  | 'in-flight'
  | 'not-notified'
  | 'no-recipient'
  | 'over-limit'
  /** the day's SMS budget is spent: dead-lettered for an operator to replay */
  | 'over-budget'
  | 'retry'
  | 'dead-lettered';

export type ChannelOutcomes = Partial<Record<DeliveryChannel, NotifyOutcome>>;

export class Notifier {
  constructor(
    private readonly deps: {
      repo: ApplicationRepository;
      deliveries: DeliveryLog;
      mailer: Mailer;
      /** text messages; without one, SMS deliveries are recorded as skipped */
      sms?: SmsSender | undefined;
      /** texts per China day, all applications together (default DEFAULT_SMS_DAILY_CAP) */
      smsDailyCap?: number | undefined;
      clock: Clock;
      consoleUrl: string;
      /** a service's own mail texts (ServiceModule.mail), loaded by the entry point */
      serviceMail?: (service: string) => ServiceMail | undefined;
    },
  ) {}

  /**
   * Notifies on every chosen channel; one outcome for the stream: `retry` when any channel
   * wants a retry (the others are settled and answer `duplicate` next time), else `sent` when
   * any channel sent, else the first channel's outcome.
   */
  async handle(event: DomainEvent): Promise<NotifyOutcome> {
    return overallOutcome(await this.handleChannels(event));
  }

  /** The outcome per channel (for logs and tests). */
  async handleChannels(event: DomainEvent): Promise<ChannelOutcomes> {
    // a module's own events that are news to the family (ServiceModule.mailEvents) count too
    const moduleNews = getModule(event.service)?.mailEvents?.includes(event.type) ?? false;
    if (!moduleNews && !shouldNotify(event)) return { email: 'not-notified' };
    const app = await this.deps.repo.get(event.appId);
    const out: ChannelOutcomes = {};
    for (const channel of app?.channels ?? ['email']) {
      out[channel] = await this.deliver(event, app, channel);
    }
    return out;
  }

  private async deliver(
    event: DomainEvent,
    app: Application | null,
    channel: DeliveryChannel,
  ): Promise<NotifyOutcome> {
    const { deliveries, clock } = this.deps;
    const finish = (
      status: 'sent' | 'retrying' | 'failed' | 'skipped',
      extra: { messageId?: string; error?: string },
    ) => deliveries.finish(event.appId, event.eventId, status, clock.now(), extra, channel);
    const claim = await deliveries.claim(event.appId, event.eventId, event.type, clock.now(), channel);
    if (!claim.ok) return claim.held ? 'in-flight' : 'duplicate';
    const to = channel === 'sms' ? app?.contactPhone : app?.contactEmail;
    if (!app || !to) {
      await finish('skipped', { error: 'no recipient' });
      return 'no-recipient';
    }
    if (channel === 'sms' && !this.deps.sms) {
      await finish('skipped', { error: 'no SMS sender configured' });
      return 'no-recipient';
    }
    const limit = channel === 'sms' ? MAX_SMS_PER_APPLICATION : MAX_MAILS_PER_APPLICATION;
    if ((await deliveries.sentCount(event.appId, channel)) >= limit) {
      await finish('skipped', {
        error: channel === 'sms' ? 'per-application SMS limit' : 'per-application mail limit',
      });
      return 'over-limit';
    }
    if (
      channel === 'sms' &&
      !(await deliveries.takeSmsBudget(clock.now(), this.deps.smsDailyCap ?? DEFAULT_SMS_DAILY_CAP))
    ) {
      await finish('failed', { error: 'daily SMS cap reached' });
      await this.deadLetter(event, channel, 'daily SMS cap reached', claim.attempts);
      return 'over-budget';
    }
    const def = getService(app.service);
    const own = this.deps.serviceMail?.(app.service);
    try {
      let messageId: string;
      if (channel === 'sms') {
        const text = renderSms(def, app, event, this.deps.consoleUrl, own);
        const content = smsContent(def, app, event, own);
        ({ messageId } = await (this.deps.sms as SmsSender).send(to, text, content));
      } else {
        const mail = renderMail(def, app, event, this.deps.consoleUrl, own);
        ({ messageId } = await this.deps.mailer.send(to, mail.subject, mail.text));
      }
      await finish('sent', { messageId });
      return 'sent';
    } catch (err) {
      // An SMS provider's message may echo the number: only the error's name is kept for SMS.
      const error =
        channel === 'sms'
          ? `${(err as Error).name}`.slice(0, 100)
          : `${(err as Error).name}: ${(err as Error).message}`.slice(0, 300);
      // a refusal no retry can mend (an adapter marks it `permanent`: unknown number, bad template)
      if (claim.attempts >= MAX_ATTEMPTS || (err as { permanent?: unknown }).permanent === true) {
        await finish('failed', { error });
        await this.deadLetter(event, channel, error, claim.attempts);
        return 'dead-lettered';
      }
      await finish('retrying', { error });
      return 'retry';
    }
  }

  private deadLetter(event: DomainEvent, channel: DeliveryChannel, error: string, attempts: number) {
    return this.deps.deliveries.deadLetter(
      'notifier',
      channel === 'email' ? event.eventId : `${event.eventId}#${channel}`,
      {
        appId: event.appId,
        eventId: event.eventId,
        eventType: event.type,
        channel,
        error,
        attempts,
      },
      this.deps.clock.now(),
    );
  }

  /**
   * The sweeper's part: deliveries nobody is finishing (a consumer died holding the lease, or the
   * stream gave up on a retry) are handled again, so a claimed message is never dropped.
   */
  async resumeUnfinished(limit = 50): Promise<Record<NotifyOutcome, number>> {
    const { repo, deliveries, clock } = this.deps;
    const counts = {} as Record<NotifyOutcome, number>;
    for (const { appId, eventId, channel } of await deliveries.unfinished(clock.now(), limit)) {
      const event = (await repo.listEvents(appId)).find((e) => e.eventId === eventId);
      const outcome: NotifyOutcome = event
        ? await this.deliver(event, await repo.get(appId), channel)
        : 'not-notified';
      if (!event) {
        await deliveries.finish(
          appId,
          eventId,
          'skipped',
          clock.now(),
          { error: 'event not found' },
          channel,
        );
      }
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }
    return counts;
  }
}

/** One outcome for the stream: see `Notifier.handle`. */
export function overallOutcome(outcomes: ChannelOutcomes): NotifyOutcome {
  const all = Object.values(outcomes);
  if (all.includes('retry')) return 'retry';
  if (all.includes('sent')) return 'sent';
  return all[0] ?? 'not-notified';
}
