/** Caseworker queues and decisions. */
import { httpModule, route } from '#shared/http';
import { wiring } from '#shared/wiring';
import { decisionBody, emptyObject, queueQuery, respondBody, stepParam } from './schemas.ts';
// every service module (this function serves them all)
import '#services/registry';

const svc = () => wiring().service();

export const handler = httpModule({
  'GET /tasks': route({
    roles: ['caseworker'],
    query: queueQuery,
    run: async ({ actor, query }) => ({ body: { items: await (await svc()).queue(actor, query) } }),
  }),
  'POST /applications/{id}/steps/{step}/claim': route({
    roles: ['caseworker'],
    params: stepParam,
    body: emptyObject,
    run: async ({ actor, params }) => ({ body: await (await svc()).claim(actor, params.id, params.step) }),
  }),
  'POST /applications/{id}/steps/{step}/unclaim': route({
    roles: ['caseworker'],
    params: stepParam,
    body: emptyObject,
    run: async ({ actor, params }) => ({ body: await (await svc()).unclaim(actor, params.id, params.step) }),
  }),
  'POST /applications/{id}/steps/{step}/decision': route({
    roles: ['caseworker'],
    params: stepParam,
    body: decisionBody,
    run: async ({ actor, params, body }) => ({
      body: await (await svc()).decide(actor, params.id, params.step, body),
    }),
  }),
  'POST /applications/{id}/steps/{step}/respond': route({
    roles: ['parent'],
    params: stepParam,
    body: respondBody,
    run: async ({ actor, params, body }) => ({
      body: await (await wiring().service()).respond(actor, params.id, params.step, body.response, body.note),
    }),
  }),
});
