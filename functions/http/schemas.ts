/** Request schemas of the HTTP API (also the source of the OpenAPI document). */
import * as z from 'zod';

export const idParam = z.strictObject({
  id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { message: 'Not an application id' }),
});
export const stepParam = idParam.extend({ step: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/) });

export const createApplicationBody = z.strictObject({
  service: z.string().min(1).max(60),
  form: z.record(z.string(), z.unknown()),
});

export const resubmitBody = z.strictObject({ form: z.record(z.string(), z.unknown()) });

export const decisionBody = z.strictObject({
  decision: z.enum(['approve', 'reject', 'request-info']),
  reason: z.string().max(60).optional(),
  note: z.string().max(1000).optional(),
  outputs: z.record(z.string(), z.union([z.string().max(200), z.number()])).optional(),
  fields: z.array(z.string().max(100)).max(30).optional(),
});

export const revealBody = z.strictObject({
  path: z.string().max(100),
  reason: z.string().trim().min(2).max(300),
});

export const queueQuery = z.strictObject({
  agency: z.string().max(40).optional(),
  status: z.enum(['open', 'claimed', 'info-requested', 'done', 'rejected']).default('open'),
});

export const emptyObject = z.strictObject({});

export const calendarYearParam = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });
export const calendarYearBody = z.strictObject({
  holidays: z.array(z.iso.date()).max(60),
  workdays: z.array(z.iso.date()).max(30),
});
export const referenceParam = z.strictObject({
  kind: z.enum(['townships', 'hospitals', 'agencies', 'pickupPoints']),
});

/** Reports (functions/http/reports.ts): ids of steps, agencies (`rehab-institution:<id>`) and townships. */
const reportSlug = z.string().regex(/^[a-z0-9][a-z0-9_:-]{0,79}$/i, { message: 'Not a valid id' });
export const analyticsQuery = z.strictObject({
  service: z.string().max(60),
  from: z.iso.date(),
  to: z.iso.date(),
  groupBy: z.enum(['step', 'agency', 'township']).default('step'),
  agency: reportSlug.optional(),
  township: reportSlug.optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
export const throughputQuery = analyticsQuery.pick({
  service: true,
  from: true,
  to: true,
  township: true,
  format: true,
});
export const openCasesQuery = z.strictObject({
  service: z.string().max(60),
  township: reportSlug.optional(),
  groupBy: z.enum(['township']).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

/*
 * Response schemas: the success body of each route. They type the handlers' replies, are
 * published in the OpenAPI document (the console's types are generated from it) and are checked
 * against every reply in tests (ONESTOP_CHECK_RESPONSES=1). Named with `.meta({ id })` so the
 * document has one component per shape.
 */
export const i18nText = z.object({ 'zh-CN': z.string(), en: z.string() }).meta({ id: 'I18nText' });
const opt = <T extends z.ZodType>(s: T) => s.optional();

export const stepStatus = z
  .enum([
    'pending',
    'open',
    'claimed',
    'info-requested',
    'waiting',
    'done',
    'rejected',
    'skipped',
    'cancelled',
  ])
  .meta({ id: 'StepStatus' });
export const applicationStatus = z
  .enum(['in-progress', 'info-requested', 'completed', 'partially-completed', 'rejected', 'withdrawn'])
  .meta({ id: 'ApplicationStatus' });

export const stepView = z
  .object({
    step: z.string(),
    title: i18nText,
    kind: z.string(),
    agency: opt(z.string()),
    status: stepStatus,
    openedAt: opt(z.string()),
    dueAt: opt(z.string()),
    decidedAt: opt(z.string()),
    outputs: opt(z.record(z.string(), z.unknown())),
    /** why the step was rejected: a coded reason with a note, or a rule's reasons as texts */
    reason: opt(z.object({ code: z.string(), note: opt(z.string()), text: opt(z.array(i18nText)) })),
    infoFields: opt(z.array(z.string())),
    infoNote: opt(z.string()),
    assignee: opt(z.string()),
    warned: opt(z.boolean()),
    breached: opt(z.boolean()),
    slaProvisional: opt(z.boolean()),
  })
  .meta({ id: 'StepView' });

export const waitlistView = z
  .object({
    org: z.string(),
    pool: z.string(),
    /** 1 = next in line; null while a round is still to be drawn */
    position: z.number().int().nullable(),
    length: z.number().int(),
    pending: z.boolean(),
    round: opt(z.object({ id: z.string(), deadline: z.string(), allocatedAt: opt(z.string()) })),
    data: opt(z.record(z.string(), z.unknown())),
  })
  .meta({ id: 'WaitlistView' });

export const applicationView = z
  .object({
    id: z.string(),
    service: z.string(),
    status: applicationStatus,
    label: z.string(),
    township: opt(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
    completedAt: opt(z.string()),
    dueAt: opt(z.string()),
    slaProvisional: opt(z.boolean()),
    version: z.number().int(),
    form: z.record(z.string(), z.unknown()),
    steps: z.array(stepView),
    waitlist: opt(z.array(waitlistView)),
  })
  .meta({ id: 'ApplicationView' });

export const applicationList = z.object({ items: z.array(applicationView) });

export const domainEvent = z
  .object({
    eventId: z.string(),
    seq: z.number().int(),
    appId: z.string(),
    service: z.string(),
    type: z.string(),
    at: z.string(),
    actor: z.object({ sub: z.string(), role: z.string(), agency: opt(z.string()) }),
    step: opt(z.string()),
    agency: opt(z.string()),
    township: opt(z.string()),
    from: opt(z.string()),
    to: opt(z.string()),
    reason: opt(z.string()),
    note: opt(z.string()),
    data: opt(z.record(z.string(), z.unknown())),
  })
  .meta({ id: 'DomainEvent' });
export const eventList = z.object({ items: z.array(domainEvent) });

export const revealReply = z.object({ path: z.string(), value: z.string() });

export const taskItem = z
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
export const taskList = z.object({ items: z.array(taskItem) });

export const healthReply = z.object({
  status: z.literal('ok'),
  calendar: z.object({ missingYears: z.array(z.number().int()) }),
});
export const calendarReply = z.object({
  coveredYears: z.array(z.number().int()),
  missingYears: z.array(z.number().int()),
});
export const calendarYearReply = z.object({
  year: z.number().int(),
  holidays: z.number().int(),
  workdays: z.number().int(),
});

/** A JSON Schema document (service forms and step outputs), described loosely. */
const jsonSchemaDoc = z.record(z.string(), z.unknown()).meta({ id: 'JsonSchema' });
export const serviceInfo = z
  .object({
    id: z.string(),
    title: i18nText,
    description: opt(i18nText),
    sla: opt(z.object({ workingDays: z.number() })),
    form: jsonSchemaDoc,
    sensitivePaths: z.array(z.string()),
    steps: z.array(
      z.object({
        step: z.string(),
        kind: opt(z.enum(['auto', 'human', 'applicant', 'timer'])),
        title: opt(i18nText),
        agency: opt(z.string()),
        needs: z.array(z.string()),
        sla: opt(z.object({ workingDays: z.number() })),
        outputs: opt(jsonSchemaDoc),
        rejectReasons: opt(z.record(z.string(), i18nText)),
        /** approval computes its outputs on the server through this route */
        approveVia: opt(z.string()),
      }),
    ),
    diagram: z.object({ 'zh-CN': z.string(), en: z.string() }),
  })
  .meta({ id: 'ServiceInfo' });
export const serviceList = z.object({ items: z.array(serviceInfo) });
export const referenceList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: i18nText,
      kind: opt(z.string()),
      level: opt(z.enum(['city', 'township'])),
      township: opt(z.string()),
      population: opt(z.number()),
    }),
  ),
});
export const openApiReply = z.record(z.string(), z.unknown());

/* Reports (aggregates only). Durations in seconds. */
const quantiles = {
  count: z.number(),
  p50: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  mean: z.number().nullable(),
};
const durationSummary = z.object(quantiles).meta({ id: 'DurationSummary' });
const processingTimeRow = z
  .object({
    step: z.string(),
    ...quantiles,
    withinSlaRate: z.number().nullable(),
    wait: durationSummary,
    work: durationSummary,
    paused: durationSummary,
    decided: z.number(),
    approved: z.number(),
    rejects: z.number(),
    requestInfo: z.number(),
    firstTimeRightRate: z.number().nullable(),
    slaBreaches: z.number(),
    agency: opt(z.string()),
    township: opt(z.string()),
    period: opt(z.string()),
  })
  .meta({ id: 'ProcessingTimeRow' });
const reportFilters = z.object({ agency: opt(z.string()), township: opt(z.string()) });
export const processingTimesReply = z.object({
  service: z.string(),
  from: z.string(),
  to: z.string(),
  unit: z.literal('seconds'),
  groupBy: z.enum(['step', 'agency', 'township', 'day', 'week']),
  filters: reportFilters,
  steps: z.array(processingTimeRow),
  overall: processingTimeRow.extend({
    cases: z.object({
      submitted: z.number(),
      settled: z.number(),
      completed: z.number(),
      partiallyCompleted: z.number(),
      rejected: z.number(),
      withdrawn: z.number(),
      resubmitted: z.number(),
    }),
  }),
  groups: opt(z.array(processingTimeRow)),
});
const slaRow = z
  .object({
    step: z.string(),
    agency: opt(z.string()),
    township: opt(z.string()),
    decided: z.number(),
    withinSla: z.number(),
    late: z.number(),
    withinSlaRate: z.number().nullable(),
    breaches: z.number(),
  })
  .meta({ id: 'SlaRow' });
export const slaReply = z.object({
  service: z.string(),
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(['step', 'agency', 'township']),
  filters: reportFilters,
  steps: z.array(slaRow),
  overall: slaRow,
  days: z.array(
    z.object({ day: z.string(), breaches: z.number(), lateDecisions: z.number(), lateCases: z.number() }),
  ),
  groups: opt(z.array(slaRow)),
});
const throughputFigures = {
  submitted: z.number(),
  settled: z.number(),
  completed: z.number(),
  partiallyCompleted: z.number(),
  rejected: z.number(),
  withdrawn: z.number(),
  decisions: z.number(),
  infoRequests: z.number(),
  byStep: z.record(z.string(), z.number()),
};
export const throughputReply = z.object({
  service: z.string(),
  from: z.string(),
  to: z.string(),
  filters: z.object({ township: opt(z.string()) }),
  steps: z.array(z.string()),
  days: z.array(z.object({ day: z.string(), ...throughputFigures })),
  totals: z.object(throughputFigures),
});
const ageRow = z
  .object({
    kind: z.enum(['case', 'step', 'township']),
    key: z.string(),
    agency: opt(z.string()),
    open: z.number(),
    overdue: z.number(),
    byAge: z.array(z.number()),
  })
  .meta({ id: 'AgeRow' });
export const openCasesReply = z.object({
  service: z.string(),
  asOf: z.string(),
  filters: z.object({ township: opt(z.string()) }),
  buckets: z
    .array(z.object({ label: z.string(), minDays: z.number(), maxDays: z.number().nullable() }))
    .readonly(),
  total: z.number(),
  overdue: z.number(),
  cases: z.array(ageRow),
  steps: z.array(ageRow),
  townships: opt(z.array(ageRow)),
});
