/**
 * The container: builds the kernel's adapters once per cold start, each when first used, and
 * hands the kernel its ports; the clock comes from one place (clock.ts). A module builds its own
 * stores from this container's client, table and clock (its `wiring.ts` or `http.ts`), as do the
 * statistics (stats-wiring.ts) and the notifier (notifier-wiring.ts), kept apart so that only
 * the functions that use them bundle them. The
 * working-day calendar is reloaded at most every five minutes so an admin's new holiday year
 * takes effect.
 */

import { ulid } from 'ulid';
import { type FieldCipher, kmsFieldCipher, localFieldCipher } from '#adapters/crypto/field-cipher';
import { sdkHttpTimeouts } from '#adapters/dependency-failure';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { DynamoCalendarStore } from '#adapters/dynamodb/calendar-store';
import { makeDocumentClient } from '#adapters/dynamodb/client';
import { DynamoRateLimiter } from '#adapters/dynamodb/rate-limiter';
import { DynamoReferenceStore } from '#adapters/dynamodb/reference-store';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import { ReferenceBook } from '#core/reference/book';
import { adoptReferenceBook } from '#core/reference/live';
import { clock } from './clock.ts';
import { optionalEnv, requireEnv } from './env.ts';

export { clock };

import { logger } from './logger.ts';

const CALENDAR_TTL_MS = 5 * 60_000;
/** How stale the townships and hospitals a form is checked against may be. */
const REFERENCE_TTL_MS = 60_000;

/**
 * The ID-number cipher is ready only after its keys are loaded (a KMS call in AWS), so the
 * repository gets this delegate and every entry point awaits `ready()` before the first use.
 */
class DeferredCipher implements FieldCipher {
  inner: FieldCipher | undefined;
  private get c(): FieldCipher {
    if (!this.inner) throw new Error('field cipher used before wiring().ready()');
    return this.inner;
  }
  encrypt = (plain: string) => this.c.encrypt(plain);
  decrypt = (value: string) => this.c.decrypt(value);
  isEncrypted = (value: string) => this.c.isEncrypted(value);
  blindIndex = (plain: string) => this.c.blindIndex(plain);
}

async function loadCipher(): Promise<FieldCipher> {
  const file = optionalEnv('DATA_KEY_FILE');
  if (file) return localFieldCipher(file);
  const blobs = optionalEnv('FIELD_KEYS_CIPHERTEXT');
  if (blobs) {
    // loaded here, not at import: functions that never touch an ID number never load KMS
    const { KMSClient } = await import('@aws-sdk/client-kms');
    return kmsFieldCipher(
      new KMSClient({ requestHandler: sdkHttpTimeouts() }),
      blobs.split(',').filter(Boolean),
    );
  }
  throw new Error(
    'No field-encryption keys configured: set DATA_KEY_FILE (local) or FIELD_KEYS_CIPHERTEXT (AWS); see docs/security.md',
  );
}

type ServiceDeps = ConstructorParameters<typeof ApplicationService>[1];

let cached: ReturnType<typeof build> | undefined;

function build() {
  const tableName = requireEnv('TABLE_NAME');
  const doc = makeDocumentClient();
  const cipher = new DeferredCipher();
  let loading: Promise<void> | undefined;
  const ready = () => {
    loading ??= loadCipher().then((c) => {
      cipher.inner = c;
    });
    return loading;
  };
  const repo = new DynamoApplicationRepository(doc, tableName, cipher);
  const calendarStore = new DynamoCalendarStore(doc, tableName);
  const rateLimiter = new DynamoRateLimiter(doc, tableName);
  const referenceStore = new DynamoReferenceStore(doc, tableName, () => clock.now());
  let referenceLoadedAt = 0;
  const refreshReference = async () => {
    if (Date.now() - referenceLoadedAt < Number(optionalEnv('REFERENCE_TTL_MS') ?? REFERENCE_TTL_MS)) return;
    const [towns, hospitals, agencies] = await Promise.all([
      referenceStore.list('townships', { readOnly: true }),
      referenceStore.list('hospitals', { readOnly: true }),
      referenceStore.list('agencies', { readOnly: true }),
    ]);
    const today = new Date(clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const book = new ReferenceBook([...towns, ...hospitals, ...agencies]);
    adoptReferenceBook(book, Number(today.slice(0, 4)), today);
    referenceLoadedAt = Date.now();
  };
  let calendar: { value: WorkingCalendar; loadedAt: number } | undefined;
  const getCalendar = async () => {
    if (!calendar || Date.now() - calendar.loadedAt > CALENDAR_TTL_MS) {
      const value = new WorkingCalendar(await calendarStore.load());
      const year = clock.now().getUTCFullYear();
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
    clock,
    repo,
    cipher,
    calendarStore,
    referenceStore,
    refreshReference,
    rateLimiter,
    getCalendar,
    invalidateCalendar: () => {
      calendar = undefined;
    },
    ready,
    /** `extra`: use-case dependencies only some functions have (e.g. agents' authorisations) */
    async service(extra: Pick<ServiceDeps, 'authorise'> = {}) {
      await ready();
      return new ApplicationService(repo, {
        clock,
        ids: { newId: ulid },
        calendar: await getCalendar(),
        refreshReference,
        ...extra,
      });
    },
  };
}

export function wiring() {
  cached ??= build();
  return cached;
}
