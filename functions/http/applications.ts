/** Applications: submit, read, list, history, resubmit, withdraw, reveal an ID number. */
import { httpModule, route } from '#shared/http';
import { wiring } from '#shared/wiring';
import {
  createApplicationBody,
  emptyObject,
  idParam,
  resubmitBody,
  revealBody,
  submissionHeaders,
} from './schemas.ts';

const svc = () => wiring().service();
/** A family submits a handful of applications a year; this only stops scripts and loops. */
const SUBMISSIONS_PER_MINUTE = Number(process.env.SUBMISSIONS_PER_MINUTE ?? 10);

export const handler = httpModule(
  {
    'POST /applications': route({
      roles: ['parent'],
      rateLimit: { scope: 'submit', limit: SUBMISSIONS_PER_MINUTE, windowSeconds: 60 },
      body: createApplicationBody,
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
      run: async ({ actor }) => ({ body: { items: await (await svc()).listMine(actor) } }),
    }),
    'GET /applications/{id}': route({
      params: idParam,
      run: async ({ actor, params }) => ({ body: await (await svc()).get(actor, params.id) }),
    }),
    'GET /applications/{id}/events': route({
      params: idParam,
      run: async ({ actor, params }) => ({ body: { items: await (await svc()).events(actor, params.id) } }),
    }),
    'POST /applications/{id}/resubmit': route({
      roles: ['parent'],
      params: idParam,
      body: resubmitBody,
      run: async ({ actor, params, body }) => ({
        body: await (await svc()).resubmit(actor, params.id, body.form),
      }),
    }),
    'POST /applications/{id}/withdraw': route({
      roles: ['parent'],
      params: idParam,
      body: emptyObject,
      run: async ({ actor, params }) => ({ body: await (await svc()).withdraw(actor, params.id) }),
    }),
    'POST /applications/{id}/reveal': route({
      roles: ['caseworker'],
      params: idParam,
      body: revealBody,
      run: async ({ actor, params, body }) => ({
        body: await (await svc()).reveal(actor, params.id, body.path, body.reason),
        headers: { 'cache-control': 'no-store' },
      }),
    }),
  },
  { rateLimiter: () => wiring().rateLimiter },
);
