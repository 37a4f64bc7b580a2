/** Request schemas of the rehab-aid routes (functions/http/rehab.ts); shared ones are in schemas.ts. */
import * as z from 'zod';
import { isoDate, township } from '#core/forms/fields';
import { strictInt } from '#core/forms/strict-int';
import { text } from '#core/forms/text';
import { disabilityCategories, INSTITUTION_ID, oneOffItems } from '#services/rehab-aid/reference';
import { standardAmounts, standardItems } from '#services/rehab-aid/standards';
import { applicationView, i18nText, idParam } from '../../http/schemas.ts';

/** Rehab aid (functions/http/rehab.ts). Money is integer fen (分); months are `YYYY-MM`. */
const ulidSchema = idParam.shape.id;
const monthString = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month.format' });
export const rehabInstitutionsQuery = z.strictObject({ category: z.enum(disabilityCategories).optional() });
export const rehabYearParam = z.strictObject({ year: strictInt(2020, 2100) });
/** `items` left out keeps the previous version's item caps. */
export const rehabStandardBody = z.strictObject({
  amounts: standardAmounts,
  items: standardItems.optional(),
});
export const rehabApproveBody = z.strictObject({ note: text({ max: 1000, lineBreaks: true }).optional() });
export const rehabInstitutionBody = z.strictObject({ institution: text({ min: 1, max: 40 }) });
export const rehabInstitutionParam = z.strictObject({
  id: z.string().regex(INSTITUTION_ID, { message: 'rehab.institutionId' }),
});
/** An admin's whole record of a designated institution (a new version of it). */
export const rehabInstitutionPutBody = z
  .strictObject({
    name: z.strictObject({ 'zh-CN': text({ min: 2, max: 60 }), en: text({ min: 2, max: 120 }) }),
    township: township(),
    categories: z.array(z.enum(disabilityCategories)).min(1).max(disabilityCategories.length),
    ages: z.tuple([z.number().int().min(0).max(17), z.number().int().min(0).max(17)]),
    effectiveFrom: isoDate(),
    effectiveTo: isoDate().optional(),
    status: z.enum(['active', 'suspended']),
    suspendedReason: text({ min: 2, max: 200 }).optional(),
    /** the version read (0: a new institution, or a seed one never changed) */
    expectedVersion: z.number().int().min(0).max(100_000),
  })
  .superRefine((b, ctx) => {
    const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (b.ages[0] > b.ages[1]) issue(['ages'], 'rehab.agesOrder');
    if (b.effectiveTo && b.effectiveTo < b.effectiveFrom) issue(['effectiveTo'], 'rehab.effectiveOrder');
    if (b.status === 'suspended' && !b.suspendedReason)
      issue(['suspendedReason'], 'rehab.suspendedReasonRequired');
    if (new Set(b.categories).size !== b.categories.length) issue(['categories'], 'rehab.categoriesRepeated');
  });
export const rehabPlanParam = z.strictObject({ planId: ulidSchema });
export const rehabClaimParam = rehabPlanParam.extend({ claimId: ulidSchema });
/** A month of training (`sessions`), or a one-off item (`item`: surgery or a device). */
export const rehabClaimBody = z.strictObject({
  month: monthString,
  item: z.enum(oneOffItems).optional(),
  sessions: z.number().int().min(1).max(62).optional(),
  amountFen: z.number().int().min(1).max(10_000_000),
  note: text({ max: 500, lineBreaks: true }).optional(),
});
export const rehabClaimDecisionBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  approvedFen: z.number().int().min(1).max(10_000_000).optional(),
  reason: text({ max: 60 }).optional(),
  note: text({ max: 1000, lineBreaks: true }).optional(),
});
export const rehabClaimsQuery = z.strictObject({
  status: z.enum(['filed', 'approved', 'rejected']).default('filed'),
});
export const rehabMonthQuery = z.strictObject({ month: monthString });
export const rehabSettlementParam = z.strictObject({
  institution: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
  month: monthString,
});
export const rehabPaidBody = z.strictObject({
  paymentReference: text({ min: 4, max: 60, allow: ['mobile'] }),
});

// Childcare places (托位登记): nursery register, intakes, rounds, the applicant's answer, figures.

/* Response schemas (see schemas.ts). Money is integer fen. */
const category = z.enum(disabilityCategories);
const ageBand = z.enum(['0-6', '7-17']);
const publicInstitution = z
  .object({
    id: z.string(),
    name: i18nText,
    township: z.string(),
    categories: z.array(category),
    ages: z.tuple([z.number(), z.number()]),
  })
  .meta({ id: 'RehabInstitution' });
export const rehabInstitutionList = z.object({ items: z.array(publicInstitution) });
export const institutionRecord = publicInstitution
  .extend({
    status: z.enum(['active', 'suspended']),
    effectiveFrom: z.string(),
    effectiveTo: z.string().optional(),
    suspendedReason: z.string().optional(),
    version: z.number(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'RehabInstitutionRecord' });
export const institutionRecordList = z.object({ items: z.array(institutionRecord) });
const capPair = z.object({ monthlyCapFen: z.number(), yearlyCapFen: z.number() });
const itemFen = z.object(Object.fromEntries(oneOffItems.map((i) => [i, z.number()])));
export const aidStandardReply = z
  .object({
    year: z.number(),
    version: z.number(),
    id: z.string(),
    amounts: z.object(
      Object.fromEntries(disabilityCategories.map((c) => [c, z.object({ '0-6': capPair, '7-17': capPair })])),
    ),
    /** each one-off item's cap per child and aid year (fen) */
    items: itemFen,
    publishedAt: z.string(),
    publishedBy: z.string(),
  })
  .meta({ id: 'AidStandard' });
export const rehabApproveReply = z.object({
  application: applicationView,
  standard: z.object({
    standardVersion: z.string(),
    year: z.number(),
    category,
    ageBand,
    monthlyCapFen: z.number(),
    yearlyCapFen: z.number(),
  }),
});
export const aidPlan = z
  .object({
    planId: z.string(),
    applicant: z.string(),
    label: z.string(),
    township: z.string(),
    category,
    ageBand,
    year: z.number(),
    institution: z.string(),
    standardVersion: z.string(),
    monthlyCapFen: z.number(),
    yearlyCapFen: z.number(),
    sessionsPerMonth: z.number(),
    kind: z.enum(['new', 'renewal', 'change-institution']),
    previousPlanId: z.string().optional(),
    status: z.enum(['active', 'superseded']),
    supersededBy: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'AidPlan' });
export const aidPlanList = z.object({ items: z.array(aidPlan) });
export const serviceClaim = z
  .object({
    claimId: z.string(),
    planId: z.string(),
    institution: z.string(),
    label: z.string(),
    month: z.string(),
    item: z.enum(oneOffItems).optional(),
    sessions: z.number(),
    amountFen: z.number(),
    note: z.string().optional(),
    status: z.enum(['filed', 'approved', 'rejected']),
    filedAt: z.string(),
    filedBy: z.string(),
    approvedFen: z.number().optional(),
    settlementMonth: z.string().optional(),
    decidedAt: z.string().optional(),
    decidedBy: z.string().optional(),
    reason: z.object({ code: z.string(), note: z.string().optional() }).optional(),
  })
  .meta({ id: 'ServiceClaim' });
export const claimList = z.object({ items: z.array(serviceClaim) });
const budgetView = z
  .object({
    year: z.number(),
    monthlyCapFen: z.number(),
    yearlyCapFen: z.number(),
    approvedTotalFen: z.number(),
    remainingFen: z.number(),
    months: z.record(z.string(), z.number()),
    /** approved fen per one-off item this year (each at most once) */
    items: z.record(z.string(), z.number()),
    standardVersion: z.string(),
  })
  .meta({ id: 'Budget' });
export const planDetailReply = z.object({
  plan: aidPlan,
  budget: budgetView.nullable(),
  claims: z.array(serviceClaim),
});
export const claimDecisionReply = z.object({ claim: serviceClaim, budget: budgetView.nullable() });
export const settlement = z
  .object({
    institution: z.string(),
    month: z.string(),
    status: z.enum(['open', 'closed', 'paid']),
    totalFen: z.number(),
    claimCount: z.number(),
    closedAt: z.string().optional(),
    closedBy: z.string().optional(),
    paidAt: z.string().optional(),
    paidBy: z.string().optional(),
    paymentReference: z.string().optional(),
  })
  .meta({ id: 'Settlement' });
export const settlementList = z.object({ items: z.array(settlement) });
export const settlementStatementReply = z.object({ settlement, claims: z.array(serviceClaim) });
