/**
 * The scheduled sweeper: applies every due timer (SLA warnings and breaches, offer expiry),
 * promotes waitlists and draws due allocation rounds, all through the engine. SLA breaches are
 * also published as a CloudWatch metric (embedded metric format: Onestop/SlaBreaches by Stage),
 * which the ops alarm watches.
 */
import { optionalEnv } from '#shared/env';
import { logger } from '#shared/logger';
import { wiring } from '#shared/wiring';
// every service module (this function serves them all)
import '#services/registry';

export const handler = async () => {
  const result = await (await wiring().service()).sweep();
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
