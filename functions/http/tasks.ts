/** Caseworker queues and decisions. */

import * as z from 'zod';
import { httpModule, route } from '#shared/http';
import { wiring } from '#shared/wiring';
import {
  applicationView,
  decisionBody,
  emptyObject,
  opt,
  queueQuery,
  respondBody,
  stepParam,
  stepStatus,
} from './schemas.ts';
// every service module (this function serves them all)
import '#services/registry';

const svc = () => wiring().service();

/* Replies (functions/http/schemas.ts explains response schemas). */
const taskItem = z
  .object({
    appId: z.string(),
    service: z.string(),
    step: z.string(),
    agency: z.string(),
    township: opt(z.string()),
    status: stepStatus,
    label: z.string(),
    openedAt: opt(z.string()),
    claimedAt: opt(z.string()),
    assignee: opt(z.string()),
    dueAt: opt(z.string()),
    warnAt: opt(z.string()),
    warned: opt(z.boolean()),
    breached: opt(z.boolean()),
  })
  .meta({ id: 'TaskItem' });
const taskList = z.object({ items: z.array(taskItem) });

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
  'POST /applications/{id}/steps/{step}/respond': route({
    roles: ['parent'],
    params: stepParam,
    body: respondBody,
    response: applicationView,
    run: async ({ actor, params, body }) => ({
      body: await (await wiring().service()).respond(actor, params.id, params.step, body.response, body.note),
    }),
  }),
});
