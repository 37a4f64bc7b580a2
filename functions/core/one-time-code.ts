/**
 * What every one-time code by SMS shares (the progress lookup, linking a guardian, an agent's
 * authorisation): the code itself, a constant-time compare of keyed hashes, the one answer to a
 * wrong, expired or used-up code (the same for all three, so nothing can be probed), and the
 * limit on asking and trying per subject.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { RateLimitedError, ValidationError } from './errors.ts';
import { t } from './i18n.ts';
import type { Clock, RateCounter } from './ports.ts';

export const newCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const wrongCode = () =>
  new ValidationError([
    {
      path: 'code',
      code: 'custom',
      message: t('验证码错误或已失效，请重新获取', 'The code is wrong or no longer valid; ask for a new one'),
    },
  ]);

/** Counts one hit of `subject` (already a keyed hash) in `scope`; over `limit` in the window: 429. */
export async function limitHit(
  limits: RateCounter,
  clock: Clock,
  windowSeconds: number,
  scope: string,
  subject: string,
  limit: number,
): Promise<void> {
  const verdict = await limits.hit(scope, subject, limit, windowSeconds, clock.now());
  if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds);
}
