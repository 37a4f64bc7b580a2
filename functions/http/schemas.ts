/** Request schemas of the HTTP API (also the source of the OpenAPI document). */
import * as z from 'zod';
import { text } from '#core/forms/text';

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

export const emptyObject = z.strictObject({});

export const calendarYearParam = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });
export const calendarYearBody = z.strictObject({
  holidays: z.array(z.iso.date()).max(60),
  workdays: z.array(z.iso.date()).max(30),
});
export const referenceParam = z.strictObject({
  kind: z.enum(['townships', 'hospitals', 'agencies', 'pickupPoints']),
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
