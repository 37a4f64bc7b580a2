/**
 * 事实无人抚养儿童基本生活保障 beyond the generic case routes: the living standard (admins
 * publish yearly versions), an objection during the public notice, the city's confirmation with
 * the standard in force, the allowance and its payments (the family's view), payment batches per
 * township and month (create, close, paid), annual reviews and termination.
 */

import { documentKinds } from '#services/child-living-allowance/reference';
import {
  allowance,
  allowanceDetail,
  allowanceList,
  batchBody,
  batchDetail,
  batchParam,
  confirmBody,
  idParam,
  livingStandard,
  objectionBody,
  paidBody,
  paymentBatch,
  reviewBody,
  standardBody,
  terminateBody,
  townshipQuery,
  yearParam,
} from '#services/child-living-allowance/schemas';
import { allowanceDocuments, allowanceService } from '#services/child-living-allowance/wiring';
import { documentRoutes } from '#shared/document-routes';
import { httpModule, route } from '#shared/http';
import { wiring } from '#shared/wiring';
import { applicationView, emptyObject } from '../../http/schemas.ts';

const svc = allowanceService;

export const handler = httpModule(
  {
    // evidence of each parent's situation: the kernel's case documents, under this module's path
    ...documentRoutes('/child-allowance', documentKinds, allowanceDocuments),
    'GET /child-allowance/standards/{year}': route({
      summary: 'Children without caregivers: the monthly living standard in force for a year',
      params: yearParam,
      query: emptyObject,
      response: livingStandard,
      run: async ({ params }) => ({ body: await (await svc()).standard(params.year) }),
    }),
    'PUT /child-allowance/standards/{year}': route({
      summary: 'Admin: publish a new version of a year’s living standard',
      roles: ['admin'],
      params: yearParam,
      body: standardBody,
      response: livingStandard,
      successStatus: [201],
      run: async ({ actor, params, body }) => ({
        status: 201,
        body: await (await svc()).publishStandard(actor, params.year, body.monthlyFen),
      }),
    }),
    'POST /child-allowance/applications/{id}/objection': route({
      summary: 'Township: record an objection during the public notice (the notice stops for review)',
      roles: ['caseworker'],
      params: idParam,
      body: objectionBody,
      response: applicationView,
      run: async ({ actor, params, body }) => ({
        body: await (await svc()).object(actor, params.id, body.note),
      }),
    }),
    'POST /child-allowance/applications/{id}/confirm': route({
      summary: 'City civil affairs: confirm with the standard in force (the allowance starts next month)',
      roles: ['caseworker'],
      params: idParam,
      body: confirmBody,
      response: applicationView,
      run: async ({ actor, params, body }) => ({
        body: await (await svc()).confirm(actor, params.id, body.note),
      }),
    }),
    'GET /child-allowance/allowances': route({
      summary: 'Township or city desk: the allowances of a township',
      roles: ['caseworker', 'auditor', 'admin'],
      query: townshipQuery,
      response: allowanceList,
      run: async ({ actor, query }) => ({
        body: { items: await (await svc()).allowances(actor, query.township) },
      }),
    }),
    'GET /child-allowance/allowances/{id}': route({
      summary: 'An allowance and what was paid (the family sees its own)',
      params: idParam,
      query: emptyObject,
      response: allowanceDetail,
      run: async ({ actor, params }) => ({ body: await (await svc()).allowance(actor, params.id) }),
    }),
    'POST /child-allowance/allowances/{id}/review': route({
      summary: 'Township: complete the annual review (continue, or end the allowance)',
      roles: ['caseworker'],
      params: idParam,
      body: reviewBody,
      response: allowance,
      run: async ({ actor, params, body }) => ({
        body: await (await svc()).completeReview(actor, params.id, body),
      }),
    }),
    'POST /child-allowance/allowances/{id}/terminate': route({
      summary:
        'Township or city: end an allowance (changed condition, adoption, death); paid through that month',
      roles: ['caseworker'],
      params: idParam,
      body: terminateBody,
      response: allowance,
      run: async ({ actor, params, body }) => ({
        body: await (await svc()).terminate(actor, params.id, body),
      }),
    }),
    'POST /child-allowance/batches': route({
      summary: 'Township: create the month’s payment batch (one per township and month)',
      roles: ['caseworker'],
      body: batchBody,
      response: paymentBatch,
      successStatus: [201],
      run: async ({ actor, body }) => ({
        status: 201,
        body: await (await svc()).createBatch(actor, body.township, body.month),
      }),
    }),
    'GET /child-allowance/batches/{township}/{month}': route({
      summary: 'A payment batch with its payments',
      roles: ['caseworker', 'auditor', 'admin'],
      params: batchParam,
      query: emptyObject,
      response: batchDetail,
      run: async ({ actor, params }) => ({
        body: await (await svc()).batch(actor, params.township, params.month),
      }),
    }),
    'POST /child-allowance/batches/{township}/{month}/close': route({
      summary: 'Township: close a checked payment batch',
      roles: ['caseworker'],
      params: batchParam,
      body: emptyObject,
      response: paymentBatch,
      run: async ({ actor, params }) => ({
        body: await (await svc()).closeBatch(actor, params.township, params.month),
      }),
    }),
    'POST /child-allowance/batches/{township}/{month}/paid': route({
      summary: 'City civil affairs: record the transfer of a closed batch (each family is told)',
      roles: ['caseworker'],
      params: batchParam,
      body: paidBody,
      response: paymentBatch,
      run: async ({ actor, params, body }) => ({
        body: await (await svc()).markPaid(actor, params.township, params.month, body.paymentReference),
      }),
    }),
  },
  { rateLimiter: () => wiring().rateLimiter },
);
