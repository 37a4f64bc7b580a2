/**
 * Childcare places (托位登记): the nursery register and intakes (admins and the health bureau),
 * the list parents choose from, a term's round (draw and audit record), the figures for
 * auditors, and the applicant's answer to an applicant step (accept or decline an offer), which
 * the engine offers to any service with applicant steps.
 */
import { DynamoNurseryRepository } from '#adapters/dynamodb/childcare-repository';
import { CHILDCARE_SERVICE, ChildcareService } from '#core/childcare/childcare-service';
import { systemClock } from '#core/ports';
import { optionalEnv } from '#shared/env';
import { httpModule, route } from '#shared/http';
import { clock, wiring } from '#shared/wiring';
import {
  childcareAllocateBody,
  childcareFiguresReply,
  childcareIntakeBody,
  childcareIntakeParam,
  childcareNurseriesQuery,
  childcareNurseryBody,
  childcareNurseryParam,
  childcareReportQuery,
  childcareRoundParam,
  intakeReply,
  nurseriesReply,
  nurseryReply,
  respondBody,
  roundReply,
  seedReply,
} from './childcare-schemas.ts';
import { applicationView, emptyObject, stepParam } from './schemas.ts';

let register: ChildcareService | undefined;
const childcare = () => {
  register ??= new ChildcareService(new DynamoNurseryRepository(wiring().doc, wiring().tableName), {
    clock: optionalEnv('STAGE') === 'local' ? clock : systemClock,
  });
  return register;
};
const svc = () => wiring().service();

export const handler = httpModule({
  'POST /applications/{id}/steps/{step}/respond': route({
    roles: ['parent'],
    params: stepParam,
    body: respondBody,
    response: applicationView,
    run: async ({ actor, params, body }) => ({
      body: await (await svc()).respond(actor, params.id, params.step, body.response, body.note),
    }),
  }),
  'GET /childcare/nurseries': route({
    auth: false,
    query: childcareNurseriesQuery,
    response: nurseriesReply,
    run: async ({ query }) => ({
      body: await childcare().listNurseries(query),
      headers: { 'cache-control': 'public, max-age=30' },
    }),
  }),
  'PUT /childcare/nurseries/{nurseryId}': route({
    roles: ['admin', 'caseworker'],
    params: childcareNurseryParam,
    body: childcareNurseryBody,
    response: nurseryReply,
    run: async ({ actor, params, body }) => ({
      body: await childcare().registerNursery(actor, { id: params.nurseryId, ...body }),
    }),
  }),
  'PUT /childcare/nurseries/{nurseryId}/intakes/{term}/{class}': route({
    roles: ['admin', 'caseworker'],
    params: childcareIntakeParam,
    body: childcareIntakeBody,
    response: intakeReply,
    run: async ({ actor, params, body }) => ({
      body: await childcare().putIntake(actor, params.nurseryId, params.term, params.class, {
        capacity: body.capacity,
        mode: body.mode,
        roundDeadline: body.roundDeadline ? new Date(body.roundDeadline).toISOString() : undefined,
      }),
    }),
  }),
  'POST /childcare/seed': route({
    roles: ['admin', 'caseworker'],
    body: emptyObject,
    response: seedReply,
    run: async ({ actor }) => ({ body: await childcare().seed(actor) }),
  }),
  'GET /childcare/rounds/{term}': route({
    roles: ['admin', 'auditor', 'caseworker'],
    params: childcareRoundParam,
    response: roundReply,
    run: async ({ actor, params }) => ({
      body: await (await svc()).round(actor, CHILDCARE_SERVICE, params.term),
    }),
  }),
  'POST /childcare/rounds/{term}/allocate': route({
    roles: ['admin', 'caseworker'],
    params: childcareRoundParam,
    body: childcareAllocateBody,
    response: roundReply,
    run: async ({ actor, params, body }) => {
      childcare().requireRegistrar(actor);
      return { body: await (await svc()).allocateRound(actor, CHILDCARE_SERVICE, params.term, body) };
    },
  }),
  'GET /reports/childcare': route({
    roles: ['auditor', 'admin', 'caseworker'],
    query: childcareReportQuery,
    response: childcareFiguresReply,
    run: async ({ actor, query }) => ({ body: await childcare().figures(actor, query) }),
  }),
});
