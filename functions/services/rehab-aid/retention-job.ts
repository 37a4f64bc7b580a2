/**
 * The daily document-retention job: deletes the files of rehab-aid applications closed more
 * than DOCUMENT_RETENTION_DAYS ago (default 1095, three years: past the aid year, its monthly
 * settlements and the annual audit), keeping each document's record marked `purged` and a
 * `documents-purged` event in the case history. Each run handles at most RETENTION_BATCH cases
 * per closed status (default 200) and continues where it stopped on the next run.
 */
import { purgeExpiredDocuments } from '#services/rehab-aid/retention';
import { rehabAdapters } from '#services/rehab-aid/wiring';
import { optionalEnv } from '#shared/env';
import { logger } from '#shared/logger';

export function retentionDays(): number {
  const raw = optionalEnv('DOCUMENT_RETENTION_DAYS', '1095');
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(`DOCUMENT_RETENTION_DAYS must be a whole number of days ≥ 1, not "${raw}"`);
  }
  return days;
}

export const handler = async () => {
  const days = retentionDays();
  const batch = Number(optionalEnv('RETENTION_BATCH', '200'));
  const result = await purgeExpiredDocuments(rehabAdapters(), days, batch);
  if (result.cases > 0)
    logger.info('retention: documents of closed cases deleted', { ...result, retentionDays: days });
  const summary =
    result.cases > 0
      ? `deleted ${result.documents} document(s) of ${result.cases} closed case(s)`
      : undefined;
  return { ...result, ...(summary ? { summary } : {}) };
};
