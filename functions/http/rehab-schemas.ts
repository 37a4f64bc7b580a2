/** Request schemas of the rehab-aid routes (functions/http/rehab.ts); shared ones are in schemas.ts. */
import * as z from 'zod';
import { strictInt } from '#core/forms/strict-int';
import { disabilityCategories } from '#core/reference/rehab';
import { standardAmounts } from '#core/rehab/standards';
import { documentKinds, documentTypes } from '#core/rehab/types';
import { idParam } from './schemas.ts';

/** Rehab aid (functions/http/rehab.ts). Money is integer fen (分); months are `YYYY-MM`. */
const ulidSchema = idParam.shape.id;
const monthString = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month.format' });
export const rehabInstitutionsQuery = z.strictObject({ category: z.enum(disabilityCategories).optional() });
export const rehabYearParam = z.strictObject({ year: strictInt(2020, 2100) });
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
