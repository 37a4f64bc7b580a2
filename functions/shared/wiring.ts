/**
 * Builds the concrete adapters once per cold start and hands core its ports. The working-day
 * calendar is reloaded at most every five minutes so an admin's new holiday year takes effect.
 */
import { ulid } from 'ulid';
import { type FieldCipher, localFieldCipher } from '#adapters/crypto/field-cipher';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { DynamoCalendarStore } from '#adapters/dynamodb/calendar-store';
import { makeDocumentClient } from '#adapters/dynamodb/client';
import { DynamoRateLimiter } from '#adapters/dynamodb/rate-limiter';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import { type Clock, systemClock } from '#core/ports';
import { optionalEnv, requireEnv } from './env.ts';
import { logger } from './logger.ts';

const CALENDAR_TTL_MS = 5 * 60_000;

function makeCipher(): FieldCipher {
  const file = optionalEnv('DATA_KEY_FILE');
  if (file) return localFieldCipher(file);
  throw new Error('No field-encryption key configured: set DATA_KEY_FILE (local) — see docs/security.md');
}

/** The clock can be offset for demos/tests of timers (local runtime only). */
export const clock: Clock = {
  now: () => new Date(Date.now() + Number(optionalEnv('CLOCK_OFFSET_MS', '0'))),
};

let cached: ReturnType<typeof build> | undefined;

function build() {
  const tableName = requireEnv('TABLE_NAME');
  const doc = makeDocumentClient();
  const cipher = makeCipher();
  const repo = new DynamoApplicationRepository(doc, tableName, cipher);
  const calendarStore = new DynamoCalendarStore(doc, tableName);
  const rateLimiter = new DynamoRateLimiter(doc, tableName);
  let calendar: { value: WorkingCalendar; loadedAt: number } | undefined;
  const getCalendar = async () => {
    if (!calendar || Date.now() - calendar.loadedAt > CALENDAR_TTL_MS) {
      const value = new WorkingCalendar(await calendarStore.load());
      const year = new Date().getUTCFullYear();
      const missing = value.missingYears(year, year + 1);
      if (missing.length > 0) {
        logger.warn('working-day calendar has no holiday data; due dates there assume weekdays only', {
          missingYears: missing,
        });
      }
      calendar = { value, loadedAt: Date.now() };
    }
    return calendar.value;
  };
  return {
    tableName,
    doc,
    repo,
    cipher,
    calendarStore,
    rateLimiter,
    getCalendar,
    invalidateCalendar: () => {
      calendar = undefined;
    },
    async service() {
      return new ApplicationService(repo, {
        clock: optionalEnv('STAGE') === 'local' ? clock : systemClock,
        ids: { newId: ulid },
        calendar: await getCalendar(),
      });
    },
  };
}

export function wiring() {
  cached ??= build();
  return cached;
}
