/**
 * The API's route table: one source for the CDK HTTP API, the local runtime's router and the
 * OpenAPI document. Each route names the handler module (functions/http/<handler>.ts) that serves
 * it; one Lambda function per handler module.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteSpec {
  method: HttpMethod;
  /** API Gateway path syntax: `/applications/{id}` */
  path: string;
  handler: HandlerName;
  /** false only for routes that must work without a token (health, catalog, spec) */
  auth: boolean;
  summary: string;
}

export const handlerNames = [
  'health',
  'catalog',
  'applications',
  'tasks',
  'reports',
  'admin',
  'rehab',
  'childcare',
  'drafts',
] as const;
export type HandlerName = (typeof handlerNames)[number];

export const routes: RouteSpec[] = [
  {
    method: 'GET',
    path: '/health',
    handler: 'health',
    auth: false,
    summary:
      'Health: the state of each dependency (table, documents bucket, mail where configured); 200 when all answer, 503 with Retry-After when one is down',
  },
  {
    method: 'GET',
    path: '/openapi.json',
    handler: 'catalog',
    auth: false,
    summary: 'This API as OpenAPI 3.1',
  },
  {
    method: 'GET',
    path: '/services',
    handler: 'catalog',
    auth: false,
    summary: 'The services, their forms (JSON Schema) and workflows',
  },
  {
    method: 'GET',
    path: '/reference/{kind}',
    handler: 'catalog',
    auth: false,
    summary: 'Reference data: townships, hospitals, agencies',
  },
  {
    method: 'POST',
    path: '/applications',
    handler: 'applications',
    auth: true,
    summary: 'Submit an application',
  },
  {
    method: 'GET',
    path: '/applications',
    handler: 'applications',
    auth: true,
    summary: "The caller's own applications",
  },
  {
    method: 'GET',
    path: '/applications/{id}',
    handler: 'applications',
    auth: true,
    summary: 'One application with per-agency progress',
  },
  {
    method: 'GET',
    path: '/applications/{id}/events',
    handler: 'applications',
    auth: true,
    summary: 'The event history of an application',
  },
  {
    method: 'POST',
    path: '/applications/{id}/resubmit',
    handler: 'applications',
    auth: true,
    summary: 'Parent: resubmit corrected fields after a request for information',
  },
  {
    method: 'POST',
    path: '/applications/{id}/withdraw',
    handler: 'applications',
    auth: true,
    summary: 'Parent: withdraw an open application',
  },
  {
    method: 'POST',
    path: '/applications/{id}/reveal',
    handler: 'applications',
    auth: true,
    summary: 'Caseworker: reveal a masked ID number (audited)',
  },
  {
    method: 'GET',
    path: '/drafts',
    handler: 'drafts',
    auth: true,
    summary: "The caller's unsubmitted forms (without their content)",
  },
  {
    method: 'GET',
    path: '/drafts/{service}/{id}',
    handler: 'drafts',
    auth: true,
    summary: 'One draft with its form values, to resume',
  },
  {
    method: 'PUT',
    path: '/drafts/{service}/{id}',
    handler: 'drafts',
    auth: true,
    summary: 'Save a draft (version 0 creates it; a stale version is 409)',
  },
  {
    method: 'DELETE',
    path: '/drafts/{service}/{id}',
    handler: 'drafts',
    auth: true,
    summary: 'Discard a draft',
  },
  { method: 'GET', path: '/tasks', handler: 'tasks', auth: true, summary: "The caller's agency queue" },
  {
    method: 'POST',
    path: '/applications/{id}/steps/{step}/claim',
    handler: 'tasks',
    auth: true,
    summary: 'Claim a task',
  },
  {
    method: 'POST',
    path: '/applications/{id}/steps/{step}/unclaim',
    handler: 'tasks',
    auth: true,
    summary: 'Release a claimed task',
  },
  {
    method: 'POST',
    path: '/applications/{id}/steps/{step}/decision',
    handler: 'tasks',
    auth: true,
    summary: 'Approve, reject or request information',
  },
  {
    method: 'GET',
    path: '/reports/processing-times',
    handler: 'reports',
    auth: true,
    summary: 'Processing-time percentiles per step and overall',
  },
  {
    method: 'GET',
    path: '/admin/calendar',
    handler: 'admin',
    auth: true,
    summary: 'Working-day calendar coverage per year',
  },
  {
    method: 'PUT',
    path: '/admin/calendar/{year}',
    handler: 'admin',
    auth: true,
    summary: "Admin: add a year's holidays and 调休 working days",
  },
  {
    method: 'GET',
    path: '/reports/sla-breaches',
    handler: 'reports',
    auth: true,
    summary: 'SLA: decisions within/after the promised time and breaches, per step, day and group',
  },
  {
    method: 'GET',
    path: '/reports/throughput',
    handler: 'reports',
    auth: true,
    summary: 'Cases submitted and settled, decisions and requests for information per day',
  },
  {
    method: 'GET',
    path: '/reports/open-cases',
    handler: 'reports',
    auth: true,
    summary: 'Open cases and open tasks by age, now',
  },
  {
    method: 'GET',
    path: '/rehab/institutions',
    handler: 'rehab',
    auth: false,
    summary: 'Rehab aid: designated rehabilitation institutions (定点康复机构), by category',
  },
  {
    method: 'GET',
    path: '/rehab/standards/{year}',
    handler: 'rehab',
    auth: true,
    summary: 'Rehab aid: the aid standard in force for a year (caps per category and age band)',
  },
  {
    method: 'PUT',
    path: '/rehab/standards/{year}',
    handler: 'rehab',
    auth: true,
    summary: 'Admin: publish a new version of a year’s aid standard',
  },
  {
    method: 'POST',
    path: '/rehab/applications/{id}/documents',
    handler: 'rehab',
    auth: true,
    summary: 'Parent: request a presigned upload URL for a document (PDF/JPEG/PNG, ≤ 10 MB)',
  },
  {
    method: 'GET',
    path: '/rehab/applications/{id}/documents',
    handler: 'rehab',
    auth: true,
    summary: 'The documents of a rehab-aid application',
  },
  {
    method: 'POST',
    path: '/rehab/applications/{id}/documents/{documentId}/complete',
    handler: 'rehab',
    auth: true,
    summary: 'Parent: check an uploaded document (size, type, magic bytes, encryption)',
  },
  {
    method: 'POST',
    path: '/rehab/applications/{id}/documents/{documentId}/link',
    handler: 'rehab',
    auth: true,
    summary: 'A short-lived view link for a document (every view is an audit event)',
  },
  {
    method: 'POST',
    path: '/rehab/applications/{id}/approve',
    handler: 'rehab',
    auth: true,
    summary: 'City DPF: approve with the aid standard in force (recorded in the outputs)',
  },
  {
    method: 'POST',
    path: '/rehab/applications/{id}/institution',
    handler: 'rehab',
    auth: true,
    summary: 'Parent: choose the institution after approval (creates the aid plan)',
  },
  {
    method: 'GET',
    path: '/rehab/plans',
    handler: 'rehab',
    auth: true,
    summary: 'Institution: the aid plans it serves',
  },
  {
    method: 'GET',
    path: '/rehab/plans/{planId}',
    handler: 'rehab',
    auth: true,
    summary: 'An aid plan with the child’s budget and claims',
  },
  {
    method: 'POST',
    path: '/rehab/plans/{planId}/claims',
    handler: 'rehab',
    auth: true,
    summary: 'Institution: file a monthly service claim',
  },
  {
    method: 'GET',
    path: '/rehab/claims',
    handler: 'rehab',
    auth: true,
    summary: 'City DPF: claims by status',
  },
  {
    method: 'POST',
    path: '/rehab/plans/{planId}/claims/{claimId}/decision',
    handler: 'rehab',
    auth: true,
    summary: 'City DPF: approve (within the caps) or reject a claim',
  },
  {
    method: 'GET',
    path: '/rehab/settlements',
    handler: 'rehab',
    auth: true,
    summary: 'Settlements of a month (what finance pays each institution)',
  },
  {
    method: 'GET',
    path: '/rehab/settlements/{institution}/{month}',
    handler: 'rehab',
    auth: true,
    summary: 'One institution’s settlement statement for a month',
  },
  {
    method: 'POST',
    path: '/rehab/settlements/{institution}/{month}/close',
    handler: 'rehab',
    auth: true,
    summary: 'City DPF: close a month’s settlement after the month',
  },
  {
    method: 'POST',
    path: '/rehab/settlements/{institution}/{month}/paid',
    handler: 'rehab',
    auth: true,
    summary: 'City DPF: record the payment of a closed settlement',
  },
  {
    method: 'POST',
    path: '/applications/{id}/steps/{step}/respond',
    handler: 'childcare',
    auth: true,
    summary: 'Parent: answer an applicant step (accept or decline an offered place) before its deadline',
  },
  {
    method: 'GET',
    path: '/childcare/nurseries',
    handler: 'childcare',
    auth: false,
    summary: 'Childcare: nurseries (托育机构) with their intakes in a term (places free, waitlist length)',
  },
  {
    method: 'PUT',
    path: '/childcare/nurseries/{nurseryId}',
    handler: 'childcare',
    auth: true,
    summary: 'Admin/health bureau: register or update a nursery (licence, type, licensed places per class)',
  },
  {
    method: 'PUT',
    path: '/childcare/nurseries/{nurseryId}/intakes/{term}/{class}',
    handler: 'childcare',
    auth: true,
    summary: 'Admin/health bureau: open an intake (capacity, rolling or round) or change its capacity',
  },
  {
    method: 'POST',
    path: '/childcare/seed',
    handler: 'childcare',
    auth: true,
    summary: 'Admin/health bureau: load the seed nursery register and the next two terms’ intakes',
  },
  {
    method: 'GET',
    path: '/childcare/rounds/{term}',
    handler: 'childcare',
    auth: true,
    summary: 'A term’s allocation round: deadline, status, recorded lottery seed, counts (audit)',
  },
  {
    method: 'POST',
    path: '/childcare/rounds/{term}/allocate',
    handler: 'childcare',
    auth: true,
    summary: 'Admin/health bureau: draw a term’s round after its deadline (the sweeper also does)',
  },
  {
    method: 'GET',
    path: '/reports/childcare',
    handler: 'childcare',
    auth: true,
    summary: 'Childcare places per 1,000 residents (target 4.5), occupancy per nursery and class, waitlists',
  },
];

/** Handlers that are not behind API Gateway. */
export const streamHandlers = ['notifier', 'metrics'] as const;
export const scheduledHandlers = ['sweeper', 'retention'] as const;

export const handlerEntry = {
  http: (name: HandlerName) => `functions/http/${name}.ts`,
  stream: (name: (typeof streamHandlers)[number]) => `functions/streams/${name}.ts`,
  scheduled: (name: (typeof scheduledHandlers)[number]) => `functions/scheduled/${name}.ts`,
};
