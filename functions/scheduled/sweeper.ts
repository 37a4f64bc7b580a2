/** The scheduled sweeper: applies every due timer (SLA warnings and breaches) through the engine. */
import { logger } from '#shared/logger';
import { wiring } from '#shared/wiring';

export const handler = async (): Promise<{ applied: number; skipped: number }> => {
  const result = await (await wiring().service()).sweep();
  if (result.applied > 0 || result.skipped > 0) logger.info('sweep', result);
  return result;
};
