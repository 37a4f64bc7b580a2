/**
 * The scheduled sweeper: applies every due timer (SLA warnings and breaches, offer expiry),
 * promotes waitlists and draws due allocation rounds, all through the engine, and resumes e-mail
 * deliveries nobody is finishing (a consumer that crashed after claiming). SLA breaches are
 * also published as a CloudWatch metric (embedded metric format: Onestop/SlaBreaches by Stage),
 * which the ops alarm watches. From the digest hour on, each agency's duty inbox gets its daily
 * SLA digest (core/notifications/sla-digest.ts), once.
 */
import { slaDigests } from '#shared/digest-wiring';
import { optionalEnv } from '#shared/env';
import { logger } from '#shared/logger';
import { getNotifier } from '#shared/notifier-wiring';
import { wiring } from '#shared/wiring';
// every service module (this function serves them all)
import '#services/registry';

export const handler = async () => {
  // Side by side: a failing round must not hold up a family's e-mail, nor the reverse.
  const [mail, swept, digest] = await Promise.allSettled([
    getNotifier().then((n) => n.resumeUnfinished()),
    wiring()
      .service()
      .then((s) => s.sweep()),
    slaDigests().then((d) => d.run()),
  ]);
  if (mail.status === 'rejected') logger.error('resuming e-mail failed', { error: String(mail.reason) });
  else if (Object.keys(mail.value).length > 0) logger.info('e-mail resumed', mail.value);
  // the error's name only: a provider's message may echo an address
  if (digest.status === 'rejected')
    logger.error('SLA digests failed', { error: (digest.reason as Error)?.name ?? String(digest.reason) });
  else if (digest.value.sent + digest.value.noInbox > 0) logger.info('SLA digests', digest.value);
  if (swept.status === 'rejected') throw swept.reason;
  const result = swept.value;
  if (result.applied > 0 || result.skipped > 0 || result.promoted > 0 || result.rounds > 0)
    logger.info('sweep', result);
  // In AWS every run reports (zeros too, so the alarm sees data); locally only breaches.
  if (optionalEnv('STAGE', 'local') !== 'local' || result.breaches > 0)
    process.stdout.write(
      `${JSON.stringify({
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [
            {
              Namespace: 'Onestop',
              Dimensions: [['Stage']],
              Metrics: [{ Name: 'SlaBreaches', Unit: 'Count' }],
            },
          ],
        },
        Stage: optionalEnv('STAGE', 'local'),
        SlaBreaches: result.breaches,
      })}\n`,
    );
  return result;
};
