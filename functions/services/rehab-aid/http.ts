/**
 * Rehab aid beyond the review chain: institutions and aid standards, documents (presigned S3
 * upload, check, audited view links), approval with the standard, the family's choice of
 * institution, monthly claims and settlements. Each route calls one RehabService method
 * (built by functions/shared/rehab-wiring.ts, which lists its environment).
 */

import {
  aidPlan,
  aidPlanList,
  aidStandardReply,
  claimDecisionReply,
  claimList,
  institutionRecord,
  institutionRecordList,
  planDetailReply,
  rehabApproveBody,
  rehabApproveReply,
  rehabClaimBody,
  rehabClaimDecisionBody,
  rehabClaimParam,
  rehabClaimsQuery,
  rehabInstitutionBody,
  rehabInstitutionList,
  rehabInstitutionParam,
  rehabInstitutionPutBody,
  rehabInstitutionsQuery,
  rehabMonthQuery,
  rehabPaidBody,
  rehabPlanParam,
  rehabSettlementParam,
  rehabStandardBody,
  rehabYearParam,
  serviceClaim,
  settlement,
  settlementList,
  settlementStatementReply,
} from '#services/rehab-aid/schemas';
import { documentKinds } from '#services/rehab-aid/types';
import { rehab } from '#services/rehab-aid/wiring';
import { documentRoutes } from '#shared/document-routes';
import { httpModule, route } from '#shared/http';
import { wiring } from '#shared/wiring';
import { emptyObject, idParam } from '../../http/schemas.ts';

const noStore = { 'cache-control': 'no-store' };

export const handler = httpModule(
  {
    'GET /rehab/institutions': route({
      summary: 'Rehab aid: designated rehabilitation institutions (定点康复机构), by category',
      auth: false,
      query: rehabInstitutionsQuery,
      response: rehabInstitutionList,
      run: async ({ query }) => ({
        body: {
          items: (await (await rehab()).institutions(undefined, { category: query.category })).map(
            ({ id, name, township, categories, ages }) => ({ id, name, township, categories, ages }),
          ),
        },
        // short: an institution an admin adds or suspends shows within a minute
        headers: { 'cache-control': 'public, max-age=60' },
      }),
    }),
    'GET /rehab/admin/institutions': route({
      summary: 'Admin: every designated institution with its status, designation dates and version',
      roles: ['admin'],
      query: emptyObject,
      response: institutionRecordList,
      run: async ({ actor }) => ({
        body: { items: await (await rehab()).institutions(actor, { all: true }) },
        headers: noStore,
      }),
    }),
    'PUT /rehab/institutions/{id}': route({
      summary:
        'Admin: add or change a designated institution (categories, ages, designation dates, suspension) as a new version',
      roles: ['admin'],
      params: rehabInstitutionParam,
      body: rehabInstitutionPutBody,
      response: institutionRecord,
      run: async ({ actor, params, body }) => ({
        body: await (await rehab()).putInstitution(actor, params.id, body),
        headers: noStore,
      }),
    }),
    'GET /rehab/institutions/{id}/history': route({
      summary: 'Admin, auditor: every version of a designated institution, oldest first',
      roles: ['admin', 'auditor'],
      params: rehabInstitutionParam,
      query: emptyObject,
      response: institutionRecordList,
      run: async ({ actor, params }) => ({
        body: { items: await (await rehab()).institutionHistory(actor, params.id) },
        headers: noStore,
      }),
    }),
    'GET /rehab/standards/{year}': route({
      summary: 'Rehab aid: the aid standard in force for a year (caps per category and age band)',
      params: rehabYearParam,
      query: emptyObject,
      response: aidStandardReply,
      run: async ({ params }) => ({ body: await (await rehab()).standard(params.year) }),
    }),
    'PUT /rehab/standards/{year}': route({
      summary: 'Admin: publish a new version of a year’s aid standard',
      roles: ['admin'],
      params: rehabYearParam,
      body: rehabStandardBody,
      response: aidStandardReply,
      successStatus: [201],
      run: async ({ actor, params, body }) => ({
        status: 201,
        body: await (await rehab()).publishStandard(actor, params.year, body.amounts, body.items),
      }),
    }),
    ...documentRoutes('/rehab', documentKinds, async () => (await rehab()).documents),
    'POST /rehab/applications/{id}/approve': route({
      summary: 'City DPF: approve with the aid standard in force (recorded in the outputs)',
      roles: ['caseworker'],
      params: idParam,
      body: rehabApproveBody,
      response: rehabApproveReply,
      run: async ({ actor, params, body }) => ({
        body: await (await rehab()).approve(actor, params.id, body.note),
      }),
    }),
    'POST /rehab/applications/{id}/institution': route({
      summary: 'Parent: choose the institution after approval (creates the aid plan)',
      roles: ['parent'],
      params: idParam,
      body: rehabInstitutionBody,
      response: aidPlan,
      successStatus: [201],
      run: async ({ actor, params, body }) => ({
        status: 201,
        body: await (await rehab()).chooseInstitution(actor, params.id, body.institution),
      }),
    }),
    'GET /rehab/plans': route({
      summary: 'Institution: the aid plans it serves',
      roles: ['caseworker'],
      query: emptyObject,
      response: aidPlanList,
      run: async ({ actor }) => ({ body: { items: await (await rehab()).plansOfInstitution(actor) } }),
    }),
    'GET /rehab/plans/{planId}': route({
      summary: 'An aid plan with the child’s budget and claims',
      params: rehabPlanParam,
      query: emptyObject,
      response: planDetailReply,
      run: async ({ actor, params }) => ({ body: await (await rehab()).plan(actor, params.planId) }),
    }),
    'POST /rehab/plans/{planId}/claims': route({
      summary: 'Institution: file a monthly service claim',
      roles: ['caseworker'],
      params: rehabPlanParam,
      body: rehabClaimBody,
      response: serviceClaim,
      successStatus: [201],
      run: async ({ actor, params, body }) => ({
        status: 201,
        body: await (await rehab()).fileClaim(actor, params.planId, body),
      }),
    }),
    'GET /rehab/claims': route({
      summary: 'City DPF: claims by status',
      roles: ['caseworker', 'auditor', 'admin'],
      query: rehabClaimsQuery,
      response: claimList,
      run: async ({ actor, query }) => ({
        body: { items: await (await rehab()).claims(actor, query.status) },
      }),
    }),
    'POST /rehab/plans/{planId}/claims/{claimId}/decision': route({
      summary: 'City DPF: approve (within the caps) or reject a claim',
      roles: ['caseworker'],
      params: rehabClaimParam,
      body: rehabClaimDecisionBody,
      response: claimDecisionReply,
      run: async ({ actor, params, body }) => ({
        body: await (await rehab()).decideClaim(actor, params.planId, params.claimId, body),
      }),
    }),
    'GET /rehab/settlements': route({
      summary: 'Settlements of a month (what finance pays each institution)',
      roles: ['caseworker', 'auditor', 'admin'],
      query: rehabMonthQuery,
      response: settlementList,
      run: async ({ actor, query }) => ({
        body: { items: await (await rehab()).settlements(actor, query.month) },
      }),
    }),
    'GET /rehab/settlements/{institution}/{month}': route({
      summary: 'One institution’s settlement statement for a month',
      roles: ['caseworker', 'auditor', 'admin'],
      params: rehabSettlementParam,
      query: emptyObject,
      response: settlementStatementReply,
      run: async ({ actor, params }) => ({
        body: await (await rehab()).settlement(actor, params.institution, params.month),
      }),
    }),
    'POST /rehab/settlements/{institution}/{month}/close': route({
      summary: 'City DPF: close a month’s settlement after the month',
      roles: ['caseworker'],
      params: rehabSettlementParam,
      body: emptyObject,
      response: settlement,
      run: async ({ actor, params }) => ({
        body: await (await rehab()).closeSettlement(actor, params.institution, params.month),
      }),
    }),
    'POST /rehab/settlements/{institution}/{month}/paid': route({
      summary: 'City DPF: record the payment of a closed settlement',
      roles: ['caseworker'],
      params: rehabSettlementParam,
      body: rehabPaidBody,
      response: settlement,
      run: async ({ actor, params, body }) => ({
        body: await (await rehab()).markPaid(actor, params.institution, params.month, body.paymentReference),
      }),
    }),
  },
  { rateLimiter: () => wiring().rateLimiter },
);
