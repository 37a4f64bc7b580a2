/**
 * The birth one-thing joint application form (出生"一件事"多证联办). One form yields up to five
 * certificates from five agencies; the parent chooses which items are wanted (default all).
 */
import * as z from 'zod';
import { text } from '#core/forms/text';
import {
  address,
  contactWithChannels,
  idNumber,
  isoDateTime,
  mobile,
  personName,
  township,
} from '../../core/forms/fields.ts';

export const birthItems = [
  'birth-certificate',
  'hukou',
  'medical-insurance',
  'social-security-card',
  'vaccination',
] as const;
export type BirthItem = (typeof birthItems)[number];

const parent = z.strictObject({
  name: personName(),
  idNumber: idNumber(),
  phone: mobile(),
});

export const birthForm = z
  .strictObject({
    child: z.strictObject({
      name: personName(),
      sex: z.enum(['male', 'female']),
      birthAt: isoDateTime().refine((v) => Date.parse(v) <= Date.now(), { message: 'date.future' }),
      birthWeightGrams: z
        .number()
        .int()
        .min(300, { message: 'weight.range' })
        .max(7000, { message: 'weight.range' }),
      hospital: text({ min: 1, max: 40 }),
    }),
    mother: parent,
    father: parent.optional(),
    contact: contactWithChannels(),
    hukou: z.strictObject({
      parent: z.enum(['mother', 'father']),
      address: address(),
      township: township(),
    }),
    medicalInsurance: z
      .strictObject({ plan: z.enum(['urban-rural-resident']).default('urban-rural-resident') })
      .optional(),
    socialSecurityCard: z.strictObject({ bank: z.enum(['icbc', 'abc', 'boc', 'ccb', 'rcc']) }).optional(),
    delivery: z.strictObject({
      method: z.enum(['ems', 'pickup']),
      address: address().optional(),
      pickupPoint: text({ max: 40 }).optional(),
    }),
    items: z
      .array(z.enum(birthItems))
      .max(birthItems.length)
      .default([...birthItems]),
  })
  .superRefine((form, ctx) => {
    if (form.items.length === 0) ctx.addIssue({ code: 'custom', path: ['items'], message: 'items.empty' });
    if (form.hukou.parent === 'father' && !form.father) {
      ctx.addIssue({ code: 'custom', path: ['father'], message: 'hukou.parentId' });
    }
    if (form.delivery.method === 'ems' && !form.delivery.address) {
      ctx.addIssue({ code: 'custom', path: ['delivery', 'address'], message: 'delivery.address' });
    }
    if (form.delivery.method === 'pickup' && !form.delivery.pickupPoint) {
      ctx.addIssue({ code: 'custom', path: ['delivery', 'pickupPoint'], message: 'delivery.pickup' });
    }
    if (form.items.includes('social-security-card') && !form.socialSecurityCard) {
      ctx.addIssue({ code: 'custom', path: ['socialSecurityCard'], message: 'Required' });
    }
  });

export type BirthForm = z.infer<typeof birthForm>;
