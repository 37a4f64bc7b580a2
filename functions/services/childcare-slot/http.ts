/**
 * Childcare places (托位登记): the nursery register and intakes (admins and the health bureau),
 * the list parents choose from, a term's round (draw and audit record), the figures for
 * auditors. (The applicant's answer to an offer is the kernel's respond route.)
 */

import { installModules } from '#core/catalog';
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
  roundReply,
  seedReply,
} from '#services/childcare-slot/schemas';
import { CHILDCARE_SERVICE, ChildcareService } from '#services/childcare-slot/service';
import { DynamoNurseryRepository } from '#services/childcare-slot/store';
import { httpModule, route } from '#shared/http';
import { wiring } from '#shared/wiring';
import { emptyObject } from '../../http/schemas.ts';
import { childcareSlotModule } from './module.ts';

// this function serves this module's cases only: no other service is installed in it
installModules([childcareSlotModule]);

const svc = () => wiring().service();

let register: ChildcareService | undefined;
const childcare = () => {
  register ??= new ChildcareService(new DynamoNurseryRepository(wiring().doc, wiring().tableName), {
    clock: wiring().clock,
  });
  return register;
};

export const handler = httpModule({
  'GET /childcare/nurseries': route({
    summary: 'Childcare: nurseries (托育机构) with their intakes in a term (places free, waitlist length)',
    auth: false,
    query: childcareNurseriesQuery,
    response: nurseriesReply,
    run: async ({ query }) => ({
      body: await childcare().listNurseries(query),
      headers: { 'cache-control': 'public, max-age=30' },
    }),
  }),
  'PUT /childcare/nurseries/{nurseryId}': route({
    summary: 'Admin/health bureau: register or update a nursery (licence, type, licensed places per class)',
    roles: ['admin', 'caseworker'],
    params: childcareNurseryParam,
    body: childcareNurseryBody,
    response: nurseryReply,
    run: async ({ actor, params, body }) => ({
      body: await childcare().registerNursery(actor, { id: params.nurseryId, ...body }),
    }),
  }),
  'PUT /childcare/nurseries/{nurseryId}/intakes/{term}/{class}': route({
    summary: 'Admin/health bureau: open an intake (capacity, rolling or round) or change its capacity',
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
    summary: 'Admin/health bureau: load the seed nursery register and the next two terms’ intakes',
    roles: ['admin', 'caseworker'],
    body: emptyObject,
    response: seedReply,
    run: async ({ actor }) => {
      const result = await childcare().seed(actor);
      const summary = result.intakesCreated
        ? `nurseries: ${result.nurseries}, new intakes: ${result.intakesCreated}`
        : undefined;
      return { body: { ...result, ...(summary ? { summary } : {}) } };
    },
  }),
  'GET /childcare/rounds/{term}': route({
    summary: 'A term’s allocation round: deadline, status, recorded lottery seed, counts (audit)',
    roles: ['admin', 'auditor', 'caseworker'],
    params: childcareRoundParam,
    response: roundReply,
    run: async ({ actor, params }) => ({
      body: await (await svc()).round(actor, CHILDCARE_SERVICE, params.term),
    }),
  }),
  'POST /childcare/rounds/{term}/allocate': route({
    summary: 'Admin/health bureau: draw a term’s round after its deadline (the sweeper also does)',
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
    summary: 'Childcare places per 1,000 residents (target 4.5), occupancy per nursery and class, waitlists',
    roles: ['auditor', 'admin', 'caseworker'],
    query: childcareReportQuery,
    response: childcareFiguresReply,
    run: async ({ actor, query }) => ({ body: await childcare().figures(actor, query) }),
  }),
});
