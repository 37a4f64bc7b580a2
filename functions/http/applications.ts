/** Applications: submit, read, list, history, resubmit, withdraw, reveal an ID number. */
import { httpModule, route } from '#shared/http';
import { wiring } from '#shared/wiring';
import {
  applicationList,
  applicationView,
  createApplicationBody,
  emptyObject,
  eventList,
  idParam,
  resubmitBody,
  revealBody,
  revealReply,
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
      response: applicationView,
      successStatus: [201, 200],
      run: async ({ actor, body, headers }) => {
        const key = headers['idempotency-key'];
        const { view, created } = await (await svc()).submit(actor, body, key?.slice(0, 200));
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
