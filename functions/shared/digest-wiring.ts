/**
 * The agencies' daily SLA digests (core/notifications/sla-digest.ts) for the sweeper: the duty
 * inboxes and names as admins keep them in the reference data (refreshed first), the townships
 * in force, the mailer of this environment. SLA_DIGEST_HOUR (China time, default 8) is when the
 * day's digests go out.
 */
import { DynamoDigestLog } from '#adapters/dynamodb/digest-log';
import { agencies } from '#core/catalog';
import { SlaDigests } from '#core/notifications/sla-digest';
import { townshipIds, townships } from '#core/reference/leqing';
import { liveAgency, liveTownshipIds } from '#core/reference/live';
import { optionalEnv } from './env.ts';
import { logger } from './logger.ts';
import { mailerFromEnv } from './notifier-wiring.ts';
import { clock, wiring } from './wiring.ts';

let digests: SlaDigests | undefined;

export async function slaDigests(): Promise<SlaDigests> {
  const w = wiring();
  await w.ready();
  await w.refreshReference();
  digests ??= new SlaDigests({
    repo: w.repo,
    log: new DynamoDigestLog(w.doc, w.tableName),
    mailer: mailerFromEnv(),
    clock,
    agencies: () => agencies().map((a) => ({ ...a, email: liveAgency(a.id)?.email })),
    townships: () => {
      const live = liveTownshipIds();
      return live.length > 0 ? live : townshipIds;
    },
    townshipName: (id) => townships.find((x) => x.id === id)?.name['zh-CN'],
    consoleUrl: optionalEnv('CONSOLE_ORIGIN', 'http://127.0.0.1:3000'),
    hour: Number(optionalEnv('SLA_DIGEST_HOUR', '8')),
    onNoInbox: (agency, cases) =>
      logger.warn('SLA digest not sent: the agency has no duty inbox in the reference data', {
        agency,
        cases,
      }),
  });
  return digests;
}
