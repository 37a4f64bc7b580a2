/** Request schemas of the childcare routes (functions/http/childcare.ts); shared ones are in schemas.ts. */
import * as z from 'zod';
import { address } from '#core/forms/fields';
import { text } from '#core/forms/text';

const childcareTerm = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'childcare.term.format' });
const childcareNurseryId = z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, { message: 'Not a nursery id' });
const childcareClass = z.enum(['infant', 'toddler', 'older-toddler']);
export const childcareNurseriesQuery = z.strictObject({
  term: childcareTerm.optional(),
  township: z.string().max(40).optional(),
});
export const childcareNurseryParam = z.strictObject({ nurseryId: childcareNurseryId });
export const childcareNurseryBody = z.strictObject({
  name: z.strictObject({ 'zh-CN': text({ min: 2, max: 60 }), en: text({ min: 2, max: 120 }) }),
  township: z.string().max(40),
  address: address(),
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
  seed: text({ min: 8, max: 128 }).optional(),
});
export const childcareReportQuery = z.strictObject({ term: childcareTerm.optional() });
