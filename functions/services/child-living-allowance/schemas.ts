/** Request and reply schemas of this module's routes (http.ts). Money is integer fen; months `YYYY-MM`. */
import './messages.ts';
import * as z from 'zod';
import { township } from '#core/forms/fields';
import { strictInt } from '#core/forms/strict-int';
import { text } from '#core/forms/text';
import { endReasons } from '#services/child-living-allowance/reference';
import { idParam } from '../../http/schemas.ts';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'cla.monthFormat' });
const date = z.iso.date({ message: 'date.format' });

export const yearParam = z.strictObject({ year: strictInt(2020, 2100) });
/** at most ¥20,000 a month */
export const standardBody = z.strictObject({ monthlyFen: z.number().int().min(10_000).max(2_000_000) });
export const livingStandard = z.strictObject({
  id: z.string(),
  year: z.number().int(),
  version: z.number().int(),
  monthlyFen: z.number().int(),
  publishedAt: z.string(),
  publishedBy: z.string(),
});

export const objectionBody = z.strictObject({ note: text({ min: 4, max: 500, lineBreaks: true }) });
export const confirmBody = z.strictObject({ note: text({ max: 500, lineBreaks: true }).optional() });

export const allowance = z.strictObject({
  appId: z.string(),
  applicant: z.string(),
  township: z.string(),
  label: z.string(),
  birthDate: z.string(),
  confirmedAt: z.string(),
  startMonth: z.string(),
  status: z.enum(['active', 'ended']),
  endMonth: z.string().optional(),
  endReason: z.enum(endReasons).optional(),
  endedAt: z.string().optional(),
  ageNoticeAt: z.string().optional(),
  nextReviewOn: z.string(),
  review: z
    .strictObject({
      year: z.number().int(),
      openedAt: z.string(),
      dueAt: z.string(),
      overdue: z.boolean().optional(),
    })
    .optional(),
  reviews: z.number().int(),
  version: z.number().int(),
});
export const payment = z.strictObject({
  appId: z.string(),
  township: z.string(),
  month: z.string(),
  amountFen: z.number().int(),
  standardVersion: z.string(),
  status: z.enum(['pending', 'paid', 'cancelled']),
  paidAt: z.string().optional(),
  paymentReference: z.string().optional(),
});
export const allowanceDetail = z.strictObject({ allowance, payments: z.array(payment) });
export const allowanceList = z.strictObject({ items: z.array(allowance) });
export const townshipQuery = z.strictObject({ township: township() });

export const batchBody = z.strictObject({ township: township(), month });
export const batchParam = z.strictObject({ township: township(), month });
export const paymentBatch = z.strictObject({
  township: z.string(),
  month: z.string(),
  status: z.enum(['open', 'closed', 'paid']),
  count: z.number().int(),
  totalFen: z.number().int(),
  standardVersion: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  closedAt: z.string().optional(),
  closedBy: z.string().optional(),
  paidAt: z.string().optional(),
  paidBy: z.string().optional(),
  paymentReference: z.string().optional(),
});
export const batchDetail = z.strictObject({ batch: paymentBatch, payments: z.array(payment) });
export const paidBody = z.strictObject({ paymentReference: text({ min: 4, max: 60 }) });

export const reviewBody = z.strictObject({
  outcome: z.enum(['continue', 'terminate']),
  reason: z.enum(endReasons).optional(),
  effectiveDate: date.optional(),
  note: text({ max: 500, lineBreaks: true }).optional(),
});
export const terminateBody = z.strictObject({
  reason: z.enum(endReasons),
  effectiveDate: date.optional(),
  note: text({ max: 500, lineBreaks: true }).optional(),
});

export { idParam };
