/**
 * The allowance's dynamic management, run daily: annual reviews opened on the anniversary (and
 * flagged when overdue), the notice a month before the 18th birthday, the end on it (payments
 * stop from the next month). Each change is an event in the case history.
 */
import { allowanceService } from '#services/child-living-allowance/wiring';
import { logger } from '#shared/logger';

export const handler = async () => {
  const result = await (await allowanceService()).runLifecycle();
  const changed = Object.values(result).some((n) => n > 0);
  if (changed) logger.info('allowance lifecycle', result);
  return changed
    ? {
        ...result,
        summary: `reviews opened ${result.reviewsOpened}, overdue ${result.overdue}, notices ${result.notices}, ended ${result.ended}`,
      }
    : result;
};
