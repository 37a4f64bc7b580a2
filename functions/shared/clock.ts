/**
 * The service clock, the one place that decides what time it is: system time in AWS; in the
 * local runtime and in tests (STAGE `local` or unset) shifted by CLOCK_OFFSET_MS, for timer demos
 * and tests. A deployed function always has its stage set (lib/constructs/onestop-function.ts),
 * so no setting can shift a deployed clock.
 */
import type { Clock } from '#core/ports';
import { optionalEnv } from './env.ts';

const shiftable = () => {
  const stage = optionalEnv('STAGE');
  return stage === undefined || stage === 'local';
};

export const clock: Clock = {
  now: () => (shiftable() ? new Date(Date.now() + Number(optionalEnv('CLOCK_OFFSET_MS', '0'))) : new Date()),
};
