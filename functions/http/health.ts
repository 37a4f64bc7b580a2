/**
 * GET /health: each dependency's state — the table always; the documents bucket and the mail
 * service where this function is configured with them (locally all three) — with calendar
 * coverage. 200 when every one answers; 503 with Retry-After when one is down, naming it.
 */
import * as z from 'zod';
import type { makeS3Client } from '#adapters/s3/client';
import { t } from '#core/i18n';
import { clock } from '#shared/clock';
import { optionalEnv } from '#shared/env';
import { httpModule, route } from '#shared/http';
import { logger } from '#shared/logger';

/** The reply when every dependency answers (functions/http/schemas.ts explains response schemas). */
const dependencyStates = z.record(z.string(), z.enum(['up', 'down']));
const healthReply = z.union([
  z.object({
    status: z.literal('ok'),
    dependencies: dependencyStates,
    calendar: z.object({ missingYears: z.array(z.number().int()) }),
  }),
  // 503 with Retry-After: which dependency is down, and the standard error body
  z.object({
    status: z.literal('unavailable'),
    dependencies: dependencyStates,
    error: z.object({
      code: z.string(),
      message: z.string(),
      messages: z.object({ 'zh-CN': z.string(), en: z.string() }),
    }),
  }),
]);

type State = 'up' | 'down';

/** How long /health waits for a dependency that accepts connections but does not answer. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * The DynamoDB client, the SDK and the calendar are loaded by the first request, not at import
 * (issue 18): this function's cold start imports no SDK. With the bundle split (lib/constructs/
 * bundling.ts) they are separate chunks read only then.
 */
const tableKit = () =>
  Promise.all([
    import('@aws-sdk/lib-dynamodb'),
    import('#shared/table'),
    import('#adapters/dynamodb/calendar-store'),
    import('#core/calendar'),
  ]).then(([{ GetCommand }, { table }, { DynamoCalendarStore }, { WorkingCalendar }]) => ({
    GetCommand,
    table,
    DynamoCalendarStore,
    WorkingCalendar,
  }));

let s3: ReturnType<typeof makeS3Client> | undefined;

/** The holiday years missing from the stored calendar, read on each request (always current). */
async function missingYears(year: number): Promise<number[]> {
  const kit = await tableKit();
  const { doc, tableName } = kit.table();
  const calendar = new kit.WorkingCalendar(await new kit.DynamoCalendarStore(doc, tableName).load());
  return calendar.missingYears(year, year + 1);
}

function probes(): Record<string, () => Promise<unknown>> {
  const out: Record<string, () => Promise<unknown>> = {
    table: async () => {
      const { GetCommand, table } = await tableKit();
      const { doc, tableName } = table();
      return doc.send(new GetCommand({ TableName: tableName, Key: { pk: 'HEALTH', sk: 'HEALTH' } }), {
        abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
    },
  };
  const bucket = optionalEnv('DOCUMENTS_BUCKET');
  if (bucket) {
    // the S3 SDK is loaded by the first probe, not at import: a cold start pays for it only here
    out.documents = async () => {
      const [{ HeadBucketCommand }, { makeS3Client }] = await Promise.all([
        import('@aws-sdk/client-s3'),
        import('#adapters/s3/client'),
      ]);
      s3 ??= makeS3Client();
      return s3.send(new HeadBucketCommand({ Bucket: bucket }), {
        abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
    };
  }
  // The local SES (SES_ENDPOINT) has a health route; SES in AWS has no cheap read to probe.
  const ses = optionalEnv('SES_ENDPOINT');
  if (ses) {
    out.mail = async () => {
      const res = await fetch(new URL('/health-check', ses), {
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    };
  }
  return out;
}

export const handler = httpModule({
  'GET /health': route({
    auth: false,
    response: healthReply,
    run: async ({ lang }) => {
      const checks = Object.entries(probes());
      const results = await Promise.allSettled(checks.map(([, probe]) => probe()));
      const dependencies: Record<string, State> = {};
      results.forEach((r, i) => {
        const name = checks[i]?.[0] ?? '?';
        dependencies[name] = r.status === 'fulfilled' ? 'up' : 'down';
        if (r.status === 'rejected') {
          const err = r.reason as { name?: string; code?: string };
          logger.warn('dependency down', { dependency: name, name: err?.name, code: err?.code });
        }
      });
      const down = Object.keys(dependencies).filter((k) => dependencies[k] === 'down');
      if (down.length > 0) {
        const text = t(
          `服务暂时不可用（${down.join('、')}），请稍后重试`,
          `The service is temporarily unavailable (${down.join(', ')}); please retry shortly`,
        );
        return {
          status: 503,
          headers: { 'retry-after': '5' },
          body: {
            status: 'unavailable' as const,
            dependencies,
            error: { code: 'SERVICE_UNAVAILABLE', message: text[lang], messages: text },
          },
        };
      }
      const year = clock.now().getUTCFullYear();
      return {
        body: { status: 'ok' as const, dependencies, calendar: { missingYears: await missingYears(year) } },
      };
    },
  }),
});
