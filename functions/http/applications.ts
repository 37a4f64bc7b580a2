/** Applications: submit, read, list, history, resubmit, withdraw, reveal an ID number. */

import * as z from 'zod';
import { documentTypes } from '#core/documents';
import { agentAuthorisation } from '#shared/authorisation-wiring';
import { httpModule, route } from '#shared/http';
import { wiring } from '#shared/wiring';
import {
  applicationView,
  createApplicationBody,
  emptyObject,
  idParam,
  opt,
  resubmitBody,
  revealBody,
  submissionHeaders,
  uploadSize,
  uploadTicket,
} from './schemas.ts';
// every service module (this function serves them all)
import '#services/registry';

/** The use case; agents' authorisations are checked at submission (core/authorisation.ts). */
const svc = async () => {
  const authorisation = await agentAuthorisation('documents');
  return wiring().service({
    authorise: (actor, input, contactPhone) => authorisation.verify(actor, input, contactPhone),
  });
};
/** A family submits a handful of applications a year; this only stops scripts and loops. */
const SUBMISSIONS_PER_MINUTE = Number(process.env.SUBMISSIONS_PER_MINUTE ?? 10);

/* Replies (functions/http/schemas.ts explains response schemas). */
const applicationList = z.object({ items: z.array(applicationView) });

const domainEvent = z
  .object({
    eventId: z.string(),
    seq: z.number().int(),
    appId: z.string(),
    service: z.string(),
    type: z.string(),
    at: z.string(),
    actor: z.object({ sub: z.string(), role: z.string(), agency: opt(z.string()) }),
    step: opt(z.string()),
    agency: opt(z.string()),
    township: opt(z.string()),
    from: opt(z.string()),
    to: opt(z.string()),
    reason: opt(z.string()),
    note: opt(z.string()),
    data: opt(z.record(z.string(), z.unknown())),
  })
  .meta({ id: 'DomainEvent' });
const eventList = z.object({ items: z.array(domainEvent) });

const revealReply = z.object({ path: z.string(), value: z.string() });

const letterBody = z.strictObject({
  contentType: z.enum(documentTypes),
  size: uploadSize,
});
const letterReply = z
  .object({
    letterId: z.string(),
    upload: uploadTicket,
  })
  .meta({ id: 'LetterUpload' });
const linkReply = z.object({ url: z.string(), expiresAt: z.string() }).meta({ id: 'ViewLink' });
const noStore = { 'cache-control': 'no-store' };

export const handler = httpModule(
  {
    'POST /applications': route({
      roles: ['parent', 'agent'],
      rateLimit: { scope: 'submit', limit: SUBMISSIONS_PER_MINUTE, windowSeconds: 60 },
      body: createApplicationBody,
      response: applicationView,
      successStatus: [201, 200],
      headers: submissionHeaders,
      // a repeated submission is answered from its idempotency record, even past the rate limit
      replay: async ({ actor, body, headers }) => {
        const key = headers['idempotency-key'];
        const view = key ? await (await svc()).replay(actor, body, key) : null;
        return view ? { status: 200, body: view, headers: { location: `/applications/${view.id}` } } : null;
      },
      run: async ({ actor, body, headers }) => {
        const { view, created } = await (await svc()).submit(actor, body, headers['idempotency-key']);
        return { status: created ? 201 : 200, body: view, headers: { location: `/applications/${view.id}` } };
      },
    }),
    'GET /applications': route({
      query: emptyObject,
      response: applicationList,
      run: async ({ actor }) => ({ body: { items: await (await svc()).listMine(actor) } }),
    }),
    'GET /applications/{id}': route({
      params: idParam,
      response: applicationView,
      run: async ({ actor, params }) => ({ body: await (await svc()).get(actor, params.id) }),
    }),
    'GET /applications/{id}/events': route({
      params: idParam,
      response: eventList,
      run: async ({ actor, params }) => ({ body: { items: await (await svc()).events(actor, params.id) } }),
    }),
    'POST /applications/{id}/resubmit': route({
      roles: ['parent'],
      params: idParam,
      body: resubmitBody,
      response: applicationView,
      run: async ({ actor, params, body }) => ({
        body: await (await svc()).resubmit(actor, params.id, body.form),
      }),
    }),
    'POST /applications/{id}/withdraw': route({
      roles: ['parent'],
      params: idParam,
      body: emptyObject,
      response: applicationView,
      run: async ({ actor, params }) => ({ body: await (await svc()).withdraw(actor, params.id) }),
    }),
    'POST /authorisations/letters': route({
      roles: ['agent'],
      rateLimit: { scope: 'letter-upload', limit: 30, windowSeconds: 60 },
      body: letterBody,
      response: letterReply,
      successStatus: [201],
      run: async ({ actor, body }) => ({
        status: 201,
        body: await (await agentAuthorisation('documents')).requestLetterUpload(actor, body),
        headers: noStore,
      }),
    }),
    'GET /applications/{id}/authorisation-letter': route({
      roles: ['parent', 'agent', 'caseworker'],
      params: idParam,
      query: emptyObject,
      response: linkReply,
      run: async ({ actor, params }) => ({
        body: await (await agentAuthorisation('documents')).letterLink(actor, params.id),
        headers: noStore,
      }),
    }),
    'POST /applications/{id}/reveal': route({
      roles: ['caseworker'],
      params: idParam,
      body: revealBody,
      response: revealReply,
      run: async ({ actor, params, body }) => ({
        body: await (await svc()).reveal(actor, params.id, body.path, body.reason),
        headers: { 'cache-control': 'no-store' },
      }),
    }),
  },
  { rateLimiter: () => wiring().rateLimiter },
);
