/**
 * The API's route table: one source for the CDK HTTP API, the local runtime's router and the
 * OpenAPI document. The kernel's routes are listed here, each naming its handler module
 * (functions/http/<handler>.ts); a service module's routes come from the registry and are served
 * by its own function (functions/services/<id>/http.ts, handler name = the service id). One
 * Lambda function per handler module.
 */
import { type HttpMethod, moduleFolder, type ServiceModule } from '#core/module';
import { modules } from '#services/registry';

export type { HttpMethod };

export interface RouteSpec {
  method: HttpMethod;
  /** API Gateway path syntax: `/applications/{id}` */
  path: string;
  handler: HandlerName;
  /** false only for routes that must work without a token (health, catalog, spec) */
  auth: boolean;
  summary: string;
}

export const kernelHandlers = [
  'health',
  'catalog',
  'applications',
  'tasks',
  'reports',
  'admin',
  'drafts',
  'progress',
  'ratings',
] as const;
export type KernelHandlerName = (typeof kernelHandlers)[number];
/** A kernel handler, or the id of a service module with routes of its own. */
export type HandlerName = string;

/** The kernel's handlers and one per service module that serves routes of its own. */
export const handlerNamesOf = (mods: readonly ServiceModule[]): HandlerName[] => [
  ...kernelHandlers,
  ...mods.filter((m) => m.http).map((m) => m.definition.id),
];

export const handlerNames: readonly HandlerName[] = handlerNamesOf(modules);

const kernelRoutes: Array<RouteSpec & { handler: KernelHandlerName }> = [
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
    path: '/docs',
    handler: 'catalog',
    auth: false,
    summary: 'This API as an interactive page (redirects to the console’s Swagger UI page)',
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
    path: '/admin/reference/{kind}',
    handler: 'admin',
    auth: true,
    summary:
      'Reference data of a kind (townships, hospitals, births, eligible) with every change and its effective date',
  },
  {
    method: 'PUT',
    path: '/admin/reference/{kind}/{id}',
    handler: 'admin',
    auth: true,
    summary:
      'Admin: change (or add) a reference entry from an effective date (audited; a stale version is 409)',
  },
  {
    method: 'POST',
    path: '/admin/reference/births/import',
    handler: 'admin',
    auth: true,
    summary: 'Admin: import births per hospital and month from CSV (hospital,month,births)',
  },
  {
    method: 'POST',
    path: '/applications/{id}/rating',
    handler: 'ratings',
    auth: true,
    summary: '好差评: the family rates its ended case once (非常满意 … 非常不满意); a 差评 opens a follow-up',
  },
  {
    method: 'GET',
    path: '/applications/{id}/rating',
    handler: 'ratings',
    auth: true,
    summary: 'The rating of a case, if given (the family; the service centre, auditors, admins)',
  },
  {
    method: 'GET',
    path: '/followups',
    handler: 'ratings',
    auth: true,
    summary: 'Citizen service centre: follow-ups of 差评 by status, the soonest due first, overdue flagged',
  },
  {
    method: 'POST',
    path: '/followups/{id}/contact',
    handler: 'ratings',
    auth: true,
    summary: 'Citizen service centre: the family was called back (回访), with a note',
  },
  {
    method: 'POST',
    path: '/followups/{id}/resolve',
    handler: 'ratings',
    auth: true,
    summary: 'Citizen service centre: the complaint is resolved, with the outcome',
  },
  {
    method: 'GET',
    path: '/reports/ratings',
    handler: 'ratings',
    auth: true,
    summary:
      '好差评 of a year per service, agency and township, with the follow-ups kept in time (JSON or CSV)',
  },
  {
    method: 'POST',
    path: '/authorisations/code',
    handler: 'progress',
    auth: true,
    summary:
      "An agent (代办) asks for a code texted to the guardian's number; the guardian tells it to the agent to confirm the authorisation",
  },
  {
    method: 'POST',
    path: '/authorisations/letters',
    handler: 'applications',
    auth: true,
    summary:
      "An agent (代办) uploads the guardian's signed letter of authorisation (委托书) before filing: a presigned PUT",
  },
  {
    method: 'GET',
    path: '/applications/{id}/authorisation-letter',
    handler: 'applications',
    auth: true,
    summary:
      "A view link of the case's letter of authorisation (the family, the filing agent, its caseworkers); each view is recorded",
  },
  {
    method: 'POST',
    path: '/applications/{id}/guardians/code',
    handler: 'progress',
    auth: true,
    summary:
      'The other guardian named on the form asks for a code texted to their number on it (same answer either way)',
  },
  {
    method: 'POST',
    path: '/applications/{id}/guardians',
    handler: 'progress',
    auth: true,
    summary: 'The other guardian links the case to their account with that code; they then see and act on it',
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
    method: 'POST',
    path: '/applications/{id}/steps/{step}/respond',
    handler: 'tasks',
    auth: true,
    summary: 'Parent: answer an applicant step (e.g. accept or decline an offered place) before its deadline',
  },
  {
    method: 'POST',
    path: '/progress/code',
    handler: 'progress',
    auth: false,
    summary:
      '办件进度查询: send a one-time code by SMS to the mobile number on the application (same answer whether or not they match)',
  },
  {
    method: 'POST',
    path: '/progress',
    handler: 'progress',
    auth: false,
    summary: 'The status and due dates of each step, with the one-time code (no personal data)',
  },
  {
    method: 'GET',
    path: '/reports/indicators',
    handler: 'reports',
    auth: true,
    summary:
      "The plan's indicators for a year: value, baseline, target, assessment, by township or hospital, trend 2021–2025",
  },
  {
    method: 'GET',
    path: '/reports/yearly',
    handler: 'reports',
    auth: true,
    summary:
      'The yearly monitoring report (年度监测): every indicator, tables by township and hospital, data sources; JSON or CSV',
  },
  {
    method: 'GET',
    path: '/reports/open-cases',
    handler: 'reports',
    auth: true,
    summary: 'Open cases and open tasks by age, now',
  },
];

/**
 * A module's routes, read from its handler's route table (the one place each is declared).
 * Importing a handler module builds no client and does no I/O.
 */
async function moduleRoutes(m: ServiceModule): Promise<RouteSpec[]> {
  const id = m.definition.id;
  const mod = (await import(/* @vite-ignore */ `../../${moduleFolder(m)}/http.ts`)) as {
    handler: { routes: Record<string, { auth?: boolean; summary?: string }> };
  };
  return Object.entries(mod.handler.routes).map(([key, r]) => {
    const [method, path] = key.split(' ') as [HttpMethod, string];
    if (!r.summary) throw new Error(`${id}: route ${key} has no summary`);
    return { method, path, handler: id, auth: r.auth !== false, summary: r.summary };
  });
}

/** The API's routes with these modules installed: the kernel's, then each module's. */
export async function routeTable(mods: readonly ServiceModule[]): Promise<RouteSpec[]> {
  const table = [
    ...kernelRoutes,
    ...(await Promise.all(mods.filter((m) => m.http).map(moduleRoutes))).flat(),
  ];
  const duplicate = table.find(
    (r, i) => table.findIndex((o) => o.method === r.method && o.path === r.path) !== i,
  );
  if (duplicate) throw new Error(`route ${duplicate.method} ${duplicate.path} is declared twice`);
  return table;
}

export const routes: RouteSpec[] = await routeTable(modules);

/** Handlers that are not behind API Gateway. */
export const streamHandlers = ['notifier', 'metrics'] as const;
/** The kernel's scheduled jobs; modules add theirs (ServiceModule.jobs). */
export const kernelScheduledHandlers = ['sweeper'] as const;

export const scheduledHandlers: readonly string[] = [
  ...kernelScheduledHandlers,
  ...modules.flatMap((m) => (m.jobs ?? []).map((j) => j.name)),
];

const isKernelHandler = (name: string): name is KernelHandlerName =>
  (kernelHandlers as readonly string[]).includes(name);

/** The file (relative to the repository) of a handler, with these modules installed. */
export const httpEntryOf =
  (mods: readonly ServiceModule[]) =>
  (name: HandlerName): string => {
    if (isKernelHandler(name)) return `functions/http/${name}.ts`;
    const m = mods.find((x) => x.definition.id === name);
    if (!m) throw new Error(`unknown handler "${name}"`);
    return `${moduleFolder(m)}/http.ts`;
  };

export const handlerEntry = {
  http: httpEntryOf(modules),
  stream: (name: (typeof streamHandlers)[number]) => `functions/streams/${name}.ts`,
  scheduled: (name: string) => {
    if ((kernelScheduledHandlers as readonly string[]).includes(name))
      return `functions/scheduled/${name}.ts`;
    for (const m of modules) {
      const job = m.jobs?.find((j) => j.name === name);
      if (job) return `${moduleFolder(m)}/${job.entry}.ts`;
    }
    throw new Error(`unknown scheduled job "${name}"`);
  },
};
