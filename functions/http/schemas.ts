/** Request schemas of the HTTP API (also the source of the OpenAPI document). */
import * as z from 'zod';
import { strictInt } from '#core/forms/strict-int';
import { text } from '#core/forms/text';
import { emptyObject, i18nText, opt, referenceParam } from './schema-basics.ts';

export { emptyObject, i18nText, opt, referenceParam };

export const idParam = z.strictObject({
  id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { message: 'Not an application id' }),
});
export const stepParam = idParam.extend({ step: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/) });

/** An agent's authorisation to file for a family (代办/委托, core/authorisation.ts). */
export const authorisationInput = z
  .discriminatedUnion('method', [
    z.strictObject({
      method: z.literal('letter'),
      /** from POST /authorisations/letters, after the file's upload */
      letterId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { message: 'authorisation.letterId' }),
    }),
    z.strictObject({
      method: z.literal('code'),
      /** the code texted to the guardian's number on the form (POST /authorisations/code) */
      code: z.string().regex(/^\d{6}$/, { message: 'progress.codeFormat' }),
    }),
  ])
  .meta({ id: 'AuthorisationInput' });

/** A file's declared size in bytes (above the 10 MB limit the use cases answer 413). */
export const uploadSize = z
  .number()
  .int()
  .positive()
  .max(2 ** 40);
/** A presigned upload: PUT the file to `url` with exactly these headers before `expiresAt`. */
export const uploadTicket = z.object({
  url: z.string(),
  method: z.literal('PUT'),
  headers: z.record(z.string(), z.string()),
  expiresAt: z.string(),
});

export const createApplicationBody = z.strictObject({
  service: z.string().min(1).max(60),
  form: z.record(z.string(), z.unknown()),
  /** only when an agent files for a family */
  authorisation: authorisationInput.optional(),
});

/**
 * Headers of a submission. The Idempotency-Key is refused when too long or malformed, never cut:
 * two different long keys must not become one.
 */
export const submissionHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7E]{1,200}$/, { message: 'idempotencyKey.format' })
    .optional(),
});

export const resubmitBody = z.strictObject({ form: z.record(z.string(), z.unknown()) });

export const decisionBody = z.strictObject({
  decision: z.enum(['approve', 'reject', 'request-info']),
  reason: text({ max: 60 }).optional(),
  note: text({ max: 1000, lineBreaks: true }).optional(),
  // certificate and insurance numbers (an 医保号 may be the child's 身份证号); each step's
  // outputs schema checks their format
  outputs: z
    .record(z.string(), z.union([text({ max: 200, allow: ['idNumber', 'mobile'] }), z.number()]))
    .optional(),
  fields: z.array(z.string().max(100)).max(30).optional(),
});

export const revealBody = z.strictObject({
  path: z.string().max(100),
  reason: text({ min: 2, max: 300 }),
});

export const queueQuery = z.strictObject({
  agency: z.string().max(40).optional(),
  status: z.enum(['open', 'claimed', 'info-requested', 'done', 'rejected']).default('open'),
});

export const calendarYearParam = z.strictObject({ year: strictInt(2000, 2100) });
export const calendarYearBody = z.strictObject({
  holidays: z.array(z.iso.date()).max(60),
  workdays: z.array(z.iso.date()).max(30),
});

/** Reports (functions/http/reports.ts): ids of steps, agencies (`<kind>:<organisation id>` for organisations) and townships. */
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

/** The applicant's answer to an applicant step (e.g. an offered place). */
export const respondBody = z.strictObject({
  response: z.enum(['accept', 'decline']),
  note: text({ max: 500, lineBreaks: true }).optional(),
});

/*
 * Response schemas: the success body of each route. They type the handlers' replies, are
 * published in the OpenAPI document (the console's types are generated from it) and are checked
 * against every reply in tests (ONESTOP_CHECK_RESPONSES=1). Named with `.meta({ id })` so the
 * document has one component per shape.
 */

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
    filedBy: opt(
      z
        .object({
          org: opt(z.string()),
          name: opt(z.string()),
          method: z.enum(['letter', 'code']),
          letter: z.boolean(),
          confirmedAt: opt(z.string()),
        })
        .meta({ id: 'FiledBy' }),
    ),
  })
  .meta({ id: 'ApplicationView' });

/** Admin reference data with history (functions/core/reference/book.ts). */
export const referenceKindParam = z.strictObject({
  kind: z.enum(['townships', 'hospitals', 'births', 'eligible', 'agencies']),
});
export const referenceEntryParam = referenceKindParam.extend({ id: z.string().min(1).max(60) });
export const referenceChangeBody = z.strictObject({
  /** the entry's version as read (0 creates it); a stale version is 409 */
  version: z.int().min(0).max(1_000_000),
  /** China day from which the change applies (default: births a month's first day, counts 1 January) */
  effectiveFrom: z.iso.date().optional(),
  values: z.record(z.string().max(40), z.union([z.string().max(200), z.number(), z.boolean()])),
  note: text({ max: 300 }).optional(),
});
export const birthsImportBody = z.strictObject({
  /** `hospital,month,births` per line (YYYY-MM), an optional header line */
  csv: z.string().min(1).max(60_000),
});

/** The plan's indicators (functions/core/indicators/): a year of the plan's period or later. */
export const indicatorsQuery = z.strictObject({ year: strictInt(2020, 2100) });
export const yearlyQuery = indicatorsQuery.extend({ format: z.enum(['json', 'csv']).default('json') });
