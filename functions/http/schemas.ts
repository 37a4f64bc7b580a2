/** Request schemas of the HTTP API (also the source of the OpenAPI document). */
import * as z from 'zod';
import { strictInt } from '#core/forms/strict-int';

export const idParam = z.strictObject({
  id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { message: 'Not an application id' }),
});
export const stepParam = idParam.extend({ step: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/) });

export const createApplicationBody = z.strictObject({
  service: z.string().min(1).max(60),
  form: z.record(z.string(), z.unknown()),
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

export const calendarYearParam = z.strictObject({ year: strictInt(2000, 2100) });
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
