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

export const handlerNames = ['health', 'catalog', 'applications', 'tasks', 'reports', 'admin'] as const;
export type HandlerName = (typeof handlerNames)[number];

export const routes: RouteSpec[] = [
  {
    method: 'GET',
    path: '/health',
    handler: 'health',
    auth: false,
    summary: 'Liveness: 200 once the store is reachable',
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
];

/** Handlers that are not behind API Gateway. */
export const streamHandlers = ['notifier'] as const;
export const scheduledHandlers = ['sweeper'] as const;

export const handlerEntry = {
  http: (name: HandlerName) => `functions/http/${name}.ts`,
  stream: (name: (typeof streamHandlers)[number]) => `functions/streams/${name}.ts`,
  scheduled: (name: (typeof scheduledHandlers)[number]) => `functions/scheduled/${name}.ts`,
};
