/** Caseworker queues and decisions. */
import { httpModule, route } from '#shared/http';
import { wiring } from '#shared/wiring';
import { applicationView, decisionBody, emptyObject, queueQuery, stepParam, taskList } from './schemas.ts';

const svc = () => wiring().service();

export const handler = httpModule({
  'GET /tasks': route({
    roles: ['caseworker'],
    query: queueQuery,
    response: taskList,
    run: async ({ actor, query }) => ({ body: { items: await (await svc()).queue(actor, query) } }),
  }),
  'POST /applications/{id}/steps/{step}/claim': route({
    roles: ['caseworker'],
    params: stepParam,
    body: emptyObject,
    response: applicationView,
    run: async ({ actor, params }) => ({ body: await (await svc()).claim(actor, params.id, params.step) }),
  }),
  'POST /applications/{id}/steps/{step}/unclaim': route({
    roles: ['caseworker'],
    params: stepParam,
    body: emptyObject,
    response: applicationView,
    run: async ({ actor, params }) => ({ body: await (await svc()).unclaim(actor, params.id, params.step) }),
  }),
  'POST /applications/{id}/steps/{step}/decision': route({
    roles: ['caseworker'],
    params: stepParam,
    body: decisionBody,
    response: applicationView,
    run: async ({ actor, params, body }) => ({
      body: await (await svc()).decide(actor, params.id, params.step, body),
    }),
  }),
});
