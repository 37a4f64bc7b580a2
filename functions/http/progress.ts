/**
 * 办件进度查询 without signing in (core/progress.ts): a one-time code by SMS to the number on the
 * case, then the status of each step and its due dates. Public routes (no token), limited per
 * client IP and per number; the answers never say whether a number belongs to an application.
 */
import * as z from 'zod';
import { DynamoProgressCodes } from '#adapters/dynamodb/progress-codes';
import { mobile } from '#core/forms/fields';
import { GuardianLinking } from '#core/guardians';
import { CODE_TTL_SECONDS, type OneTimeCodeDeps, ProgressLookup } from '#core/progress';
import { agentAuthorisation } from '#shared/authorisation-wiring';
import { httpModule, route } from '#shared/http';
import { logger } from '#shared/logger';
import { smsFromEnv } from '#shared/sms-wiring';
import { clock, wiring } from '#shared/wiring';
import { applicationStatus, i18nText, idParam, opt, stepStatus } from './schemas.ts';
// every service module (the answer names the service and its steps)
import '#services/registry';

const applicationNumber = idParam.shape.id;
const codeBody = z.strictObject({ applicationNumber, mobile: mobile() });
const lookupBody = codeBody.extend({
  code: z.string().regex(/^\d{6}$/, { message: 'progress.codeFormat' }),
});

const codeReply = z
  .object({
    /** always true: the same answer whether or not the number is the application's */
    accepted: z.literal(true),
    expiresInSeconds: z.number().int(),
  })
  .meta({ id: 'ProgressCodeReply' });
const progressReply = z
  .object({
    applicationNumber: z.string(),
    service: z.string(),
    serviceTitle: i18nText,
    status: applicationStatus,
    submittedAt: z.string(),
    dueAt: opt(z.string()),
    completedAt: opt(z.string()),
    steps: z.array(
      z.object({
        step: z.string(),
        title: i18nText,
        status: stepStatus,
        openedAt: opt(z.string()),
        dueAt: opt(z.string()),
        decidedAt: opt(z.string()),
      }),
    ),
  })
  .meta({ id: 'ProgressView' });

/** The one-time-code use cases' adapters; `what` names the code in a send-failure warning. */
async function codeDeps(what: string): Promise<OneTimeCodeDeps> {
  const w = wiring();
  await w.ready();
  return {
    repo: w.repo,
    codes: new DynamoProgressCodes(w.doc, w.tableName),
    sms: smsFromEnv(),
    limits: w.rateLimiter,
    clock,
    hash: (v) => w.cipher.blindIndex(v),
    // the error's name only: a provider's message may echo the number
    onSendFailure: (err) => logger.warn(`${what} code not sent`, { error: (err as Error).name }),
  };
}

let lookup: ProgressLookup | undefined;
async function progress(): Promise<ProgressLookup> {
  lookup ??= new ProgressLookup(await codeDeps('progress'));
  return lookup;
}
const noStore = { 'cache-control': 'no-store' };

let linking: GuardianLinking | undefined;
async function guardians(): Promise<GuardianLinking> {
  linking ??= new GuardianLinking(await codeDeps('guardian link'));
  return linking;
}
const guardianCodeBody = z.strictObject({ mobile: mobile() });
const guardianLinkBody = guardianCodeBody.extend({
  code: z.string().regex(/^\d{6}$/, { message: 'progress.codeFormat' }),
});
const linkReply = z
  .object({ applicationNumber: z.string(), linked: z.enum(['linked', 'already']) })
  .meta({ id: 'GuardianLinkReply' });

export const handler = httpModule({
  'POST /progress/code': route({
    auth: false,
    body: codeBody,
    response: codeReply,
    run: async ({ body, sourceIp }) => {
      await (await progress()).requestCode(body.applicationNumber, body.mobile, sourceIp);
      return {
        body: { accepted: true as const, expiresInSeconds: CODE_TTL_SECONDS },
        headers: noStore,
      };
    },
  }),
  'POST /authorisations/code': route({
    roles: ['agent'],
    body: guardianCodeBody,
    response: codeReply,
    run: async ({ actor, body }) => {
      await (await agentAuthorisation('sms')).requestCode(actor, body.mobile);
      return { body: { accepted: true as const, expiresInSeconds: CODE_TTL_SECONDS }, headers: noStore };
    },
  }),
  'POST /applications/{id}/guardians/code': route({
    roles: ['parent'],
    params: idParam,
    body: guardianCodeBody,
    response: codeReply,
    run: async ({ actor, params, body }) => {
      await (await guardians()).requestCode(actor, params.id, body.mobile);
      return { body: { accepted: true as const, expiresInSeconds: CODE_TTL_SECONDS }, headers: noStore };
    },
  }),
  'POST /applications/{id}/guardians': route({
    roles: ['parent'],
    params: idParam,
    body: guardianLinkBody,
    response: linkReply,
    run: async ({ actor, params, body }) => ({
      body: {
        applicationNumber: params.id,
        linked: await (await guardians()).link(actor, params.id, body.mobile, body.code),
      },
      headers: noStore,
    }),
  }),
  'POST /progress': route({
    auth: false,
    body: lookupBody,
    response: progressReply,
    run: async ({ body, sourceIp }) => ({
      body: await (await progress()).lookup(body.applicationNumber, body.mobile, body.code, sourceIp),
      headers: noStore,
    }),
  }),
});
