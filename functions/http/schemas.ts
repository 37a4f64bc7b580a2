/** Request schemas of the HTTP API (also the source of the OpenAPI document). */
import * as z from 'zod';
import { disabilityCategories } from '#core/reference/rehab';
import { standardAmounts } from '#core/rehab/standards';
import { documentKinds, documentTypes } from '#core/rehab/types';

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

/** Rehab aid (functions/http/rehab.ts). Money is integer fen (分); months are `YYYY-MM`. */
const ulidSchema = idParam.shape.id;
const monthString = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month.format' });
export const rehabInstitutionsQuery = z.strictObject({ category: z.enum(disabilityCategories).optional() });
export const rehabYearParam = z.strictObject({ year: z.coerce.number().int().min(2020).max(2100) });
export const rehabStandardBody = z.strictObject({ amounts: standardAmounts });
export const rehabDocumentParam = idParam.extend({ documentId: ulidSchema });
export const rehabUploadBody = z.strictObject({
  kind: z.enum(documentKinds),
  contentType: z.enum(documentTypes),
  /** bytes; above the 10 MB limit the use case answers 413 */
  size: z
    .number()
    .int()
    .positive()
    .max(2 ** 40),
});
export const rehabApproveBody = z.strictObject({ note: z.string().trim().max(1000).optional() });
export const rehabInstitutionBody = z.strictObject({ institution: z.string().trim().min(1).max(40) });
export const rehabPlanParam = z.strictObject({ planId: ulidSchema });
export const rehabClaimParam = rehabPlanParam.extend({ claimId: ulidSchema });
export const rehabClaimBody = z.strictObject({
  month: monthString,
  sessions: z.number().int().min(1).max(62),
  amountFen: z.number().int().min(1).max(10_000_000),
  note: z.string().trim().max(500).optional(),
});
export const rehabClaimDecisionBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  approvedFen: z.number().int().min(1).max(10_000_000).optional(),
  reason: z.string().max(60).optional(),
  note: z.string().trim().max(1000).optional(),
});
export const rehabClaimsQuery = z.strictObject({
  status: z.enum(['filed', 'approved', 'rejected']).default('filed'),
});
export const rehabMonthQuery = z.strictObject({ month: monthString });
export const rehabSettlementParam = z.strictObject({
  institution: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
  month: monthString,
});
export const rehabPaidBody = z.strictObject({ paymentReference: z.string().trim().min(4).max(60) });

// Childcare places (托位登记): nursery register, intakes, rounds, the applicant's answer, figures.
const childcareTerm = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'childcare.term.format' });
const childcareNurseryId = z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, { message: 'Not a nursery id' });
const childcareClass = z.enum(['infant', 'toddler', 'older-toddler']);
export const childcareNurseriesQuery = z.strictObject({
  term: childcareTerm.optional(),
  township: z.string().max(40).optional(),
});
export const childcareNurseryParam = z.strictObject({ nurseryId: childcareNurseryId });
export const childcareNurseryBody = z.strictObject({
  name: z.strictObject({ 'zh-CN': z.string().trim().min(2).max(60), en: z.string().trim().min(2).max(120) }),
  township: z.string().max(40),
  address: z.string().trim().min(4).max(200),
  licenceNumber: z
    .string()
    .trim()
    .regex(/^[0-9A-Z-]{6,30}$/, { message: 'Licence number: 6-30 digits/capitals' }),
  type: z.enum(['public', 'inclusive', 'private']),
  places: z
    .strictObject({
      infant: z.number().int().min(1).max(500).optional(),
      toddler: z.number().int().min(1).max(500).optional(),
      'older-toddler': z.number().int().min(1).max(500).optional(),
    })
    .refine((p) => Object.keys(p).length > 0, { message: 'Offer at least one class' }),
});
export const childcareIntakeParam = childcareNurseryParam.extend({
  term: childcareTerm,
  class: childcareClass,
});
export const childcareIntakeBody = z.strictObject({
  capacity: z.number().int().min(0).max(500),
  mode: z.enum(['rolling', 'round']),
  roundDeadline: z.iso.datetime({ offset: true }).optional(),
});
export const childcareRoundParam = z.strictObject({ term: childcareTerm });
export const childcareAllocateBody = z.strictObject({
  seed: z.string().trim().min(8).max(128).optional(),
});
export const childcareReportQuery = z.strictObject({ term: childcareTerm.optional() });
export const respondBody = z.strictObject({
  response: z.enum(['accept', 'decline']),
  note: z.string().trim().max(500).optional(),
});

/**
 * Drafts (functions/http/drafts.ts): the form as the console holds it, flattened to dotted field
 * paths. Keys are plain identifiers (no `__proto__`/`constructor` tricks); sizes are bounded so a
 * draft can never outgrow one DynamoDB item.
 */
const draftKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]{0,59}(\.[A-Za-z][A-Za-z0-9]{0,59}){0,5}$/, {
    message: 'Not a form field path',
  })
  .refine((k) => !/(^|\.)(constructor|prototype)(\.|$)/.test(k), { message: 'Not a form field path' });
export const draftParam = z.strictObject({
  service: z.string().regex(/^[a-z][a-z0-9-]{0,59}$/, { message: 'Not a service id' }),
  id: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, { message: 'Not a draft id' }),
});
export const draftBody = z.strictObject({
  /** the version this client last saw; 0 creates the draft */
  version: z.number().int().min(0).max(1_000_000),
  section: z.string().max(60),
  values: z
    .record(draftKey, z.union([z.string().max(2000), z.array(z.string().max(200)).max(50)]))
    .refine((v) => Object.keys(v).length <= 300, { message: 'At most 300 fields' }),
  toggles: z.record(draftKey, z.boolean()).refine((v) => Object.keys(v).length <= 50, {
    message: 'At most 50 sections',
  }),
});
