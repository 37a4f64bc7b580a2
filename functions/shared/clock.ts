/** The service clock: system time, shiftable in the local runtime for timer demos and tests. */
import type { Clock } from '#core/ports';
import { optionalEnv } from './env.ts';

/** The clock can be offset for demos/tests of timers (local runtime only). */
export const clock: Clock = {
  now: () => new Date(Date.now() + Number(optionalEnv('CLOCK_OFFSET_MS', '0'))),
};
