/** The one service clock: shiftable locally and in tests, never in a deployed stage. */
import { afterEach, describe, expect, it } from 'vitest';
import { clock } from '#shared/clock';

const HOUR = 3_600_000;
const saved = { stage: process.env.STAGE, offset: process.env.CLOCK_OFFSET_MS };

afterEach(() => {
  for (const [key, value] of [
    ['STAGE', saved.stage],
    ['CLOCK_OFFSET_MS', saved.offset],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

const skew = () => clock.now().getTime() - Date.now();

describe('the service clock', () => {
  it.each([['local'], [undefined]])('is shifted by CLOCK_OFFSET_MS when the stage is %s', (stage) => {
    if (stage === undefined) delete process.env.STAGE;
    else process.env.STAGE = stage;
    process.env.CLOCK_OFFSET_MS = String(2 * HOUR);
    expect(skew()).toBeGreaterThan(2 * HOUR - 1000);
    expect(skew()).toBeLessThan(2 * HOUR + 1000);
  });

  it.each([['dev'], ['prod']])('ignores CLOCK_OFFSET_MS in the deployed stage %s', (stage) => {
    process.env.STAGE = stage;
    process.env.CLOCK_OFFSET_MS = String(2 * HOUR);
    expect(Math.abs(skew())).toBeLessThan(1000);
  });
});
