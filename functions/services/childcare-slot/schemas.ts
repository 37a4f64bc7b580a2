/** Request schemas of the childcare routes (functions/http/childcare.ts); shared ones are in schemas.ts. */
import * as z from 'zod';
import { address } from '#core/forms/fields';
import { text } from '#core/forms/text';
import { i18nText } from '../../http/schemas.ts';

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
/* Response schemas (see schemas.ts). */
const nurseryType = z.enum(['public', 'inclusive', 'private']);
const intakeMode = z.enum(['rolling', 'round']);
export const nurseryReply = z
  .object({
    id: z.string(),
    name: i18nText,
    township: z.string(),
    address: z.string(),
    licenceNumber: z.string(),
    type: nurseryType,
    places: z.object({
      infant: z.number().optional(),
      toddler: z.number().optional(),
      'older-toddler': z.number().optional(),
    }),
  })
  .meta({ id: 'Nursery' });
export const nurseriesReply = z.object({
  term: z.string(),
  items: z.array(
    nurseryReply.extend({
      intakes: z.array(
        z.object({
          term: z.string(),
          class: childcareClass,
          className: i18nText,
          mode: intakeMode,
          capacity: z.number(),
          free: z.number(),
          waiting: z.number(),
          roundDeadline: z.string().optional(),
        }),
      ),
    }),
  ),
});
export const intakeReply = z.object({
  nurseryId: z.string(),
  term: z.string(),
  classId: childcareClass,
  capacity: z.number(),
  taken: z.number(),
  waiting: z.number(),
  settled: z.number(),
  mode: intakeMode,
  roundDeadline: z.string().optional(),
  allocatedAt: z.string().optional(),
});
export const seedReply = z.object({
  nurseries: z.number(),
  intakesCreated: z.number(),
  terms: z.array(z.string()),
  /** one line for the local runtime's output when something was added */
  summary: z.string().optional(),
});
export const roundReply = z
  .object({
    service: z.string(),
    id: z.string(),
    deadline: z.string(),
    pools: z.array(z.object({ org: z.string(), pool: z.string() })),
    status: z.enum(['open', 'allocating', 'allocated']),
    seed: z.string().optional(),
    startedAt: z.string().optional(),
    allocatedAt: z.string().optional(),
    entrants: z.number().optional(),
    placed: z.number().optional(),
  })
  .meta({ id: 'Round' });
const areaFigures = {
  population: z.number(),
  nurseries: z.number(),
  places: z.number(),
  placesPer1000: z.number(),
  meetsTarget: z.boolean(),
  shortfall: z.number(),
};
export const childcareFiguresReply = z.object({
  term: z.string(),
  target: z.number(),
  unit: z.literal('places per 1,000 residents'),
  city: z.object(areaFigures),
  townships: z.array(z.object({ ...areaFigures, township: z.string(), name: i18nText })),
  nurseries: z.array(
    z.object({
      id: z.string(),
      name: i18nText,
      township: z.string(),
      type: nurseryType,
      places: z.number(),
      intakes: z.array(
        z.object({
          class: childcareClass,
          mode: intakeMode,
          capacity: z.number(),
          offered: z.number(),
          enrolled: z.number(),
          free: z.number(),
          waiting: z.number(),
          occupancy: z.number(),
        }),
      ),
    }),
  ),
  waitlists: z.object({
    total: z.number(),
    byClass: z.object({ infant: z.number(), toddler: z.number(), 'older-toddler': z.number() }),
  }),
});
