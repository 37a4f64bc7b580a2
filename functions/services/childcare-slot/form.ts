/**
 * The childcare-place registration form (托位登记): the child, up to two guardians, residence in
 * the city, up to three nurseries in order of preference, the desired term and priority claims.
 * Checks that need only the form are here; age, term and intake checks are in rules.ts.
 */
import './messages.ts';
import * as z from 'zod';
import { text } from '#core/forms/text';
import { TERM_PATTERN } from '#services/childcare-slot/classes';
import {
  address,
  contactWithChannels,
  idNumber,
  isoDate,
  mobile,
  personName,
  township,
} from '../../core/forms/fields.ts';
import { type I18nText, t } from '../../core/i18n.ts';
import { birthDateOfId } from '../../core/id-number.ts';

export const priorityClaims = [
  'second-child',
  'third-child',
  'both-working',
  'low-income',
  'child-disability',
  'armed-forces',
] as const;
export type PriorityClaim = (typeof priorityClaims)[number];

/**
 * Priority points per claim (added up; ties are broken by the round's seeded lottery) and the
 * document, if any, the nursery checks at enrolment (an unproven claim is a reason to refuse).
 */
export const priorityRules: Record<PriorityClaim, { points: number; name: I18nText; document?: I18nText }> = {
  'armed-forces': {
    points: 4,
    name: t('现役军人子女', 'Child of a serving member of the armed forces'),
    document: t('军人证或部队出具的证明', 'Military ID or a certificate from the unit'),
  },
  'child-disability': {
    points: 3,
    name: t('残疾儿童', 'Child with a disability'),
    document: t('残疾人证或医院诊断证明', 'Disability certificate or a hospital diagnosis'),
  },
  'low-income': {
    points: 3,
    name: t('低保家庭', 'Minimum-living-allowance (低保) family'),
    document: t('低保证', 'Minimum living allowance certificate'),
  },
  'third-child': {
    points: 3,
    name: t('三孩及以上家庭', 'Third (or later) child'),
    document: t('户口簿（显示家庭子女）', 'Household register showing the children'),
  },
  'second-child': {
    points: 2,
    name: t('二孩家庭', 'Second child'),
    document: t('户口簿（显示家庭子女）', 'Household register showing the children'),
  },
  'both-working': {
    points: 1,
    name: t('双职工家庭', 'Both guardians working'),
  },
};

export const priorityPoints = (claims: readonly string[]): number =>
  claims.reduce((sum, c) => sum + (priorityRules[c as PriorityClaim]?.points ?? 0), 0);

const working = ['employed', 'self-employed'] as const;

const guardian = z.strictObject({
  name: personName(),
  idNumber: idNumber(),
  phone: mobile(),
  relation: z.enum(['mother', 'father', 'grandparent', 'other']),
  employment: z.enum(['employed', 'self-employed', 'job-seeking', 'not-working', 'student']),
  employer: text({ max: 100 }).optional(),
});

export const nurseryId = () => z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, { message: 'Not a nursery id' });

export const childcareForm = z
  .strictObject({
    child: z.strictObject({
      name: personName(),
      idNumber: idNumber(),
      birthDate: isoDate(),
      sex: z.enum(['male', 'female']),
      specialNeeds: text({ max: 500, lineBreaks: true }).optional(),
    }),
    guardians: z.strictObject({ first: guardian, second: guardian.optional() }),
    residence: z.strictObject({
      /** 户籍 in the city, or a 居住证 (residence permit) issued by it */
      type: z.enum(['hukou', 'residence-permit']),
      township: township(),
      address: address(),
      permitValidUntil: isoDate().optional(),
    }),
    contact: contactWithChannels(),
    term: z.string().regex(TERM_PATTERN, { message: 'childcare.term.format' }),
    preferences: z.array(nurseryId()).min(1).max(3),
    priority: z.array(z.enum(priorityClaims)).max(priorityClaims.length).default([]),
  })
  .superRefine((form, ctx) => {
    form.preferences.forEach((id, i) => {
      if (form.preferences.indexOf(id) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['preferences', i],
          message: 'childcare.preferences.duplicate',
        });
    });
    form.priority.forEach((c, i) => {
      if (form.priority.indexOf(c) !== i)
        ctx.addIssue({ code: 'custom', path: ['priority', i], message: 'childcare.priority.duplicate' });
    });
    if (form.priority.includes('second-child') && form.priority.includes('third-child')) {
      ctx.addIssue({ code: 'custom', path: ['priority'], message: 'childcare.priority.siblings' });
    }
    const { first, second } = form.guardians;
    const bothWorking =
      !!second &&
      (working as readonly string[]).includes(first.employment) &&
      (working as readonly string[]).includes(second.employment);
    if (form.priority.includes('both-working') && !bothWorking) {
      ctx.addIssue({
        code: 'custom',
        path: ['priority', form.priority.indexOf('both-working')],
        message: 'childcare.priority.bothWorking',
      });
    }
    if (form.residence.type === 'residence-permit' && !form.residence.permitValidUntil) {
      ctx.addIssue({
        code: 'custom',
        path: ['residence', 'permitValidUntil'],
        message: 'childcare.residence.permitValidUntil',
      });
    }
    const idBirth = birthDateOfId(form.child.idNumber);
    if (idBirth && idBirth !== form.child.birthDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['child', 'birthDate'],
        message: 'childcare.child.birthDateMismatch',
      });
    }
    const ids = [form.child.idNumber, first.idNumber, second?.idNumber].filter(Boolean);
    if (new Set(ids).size !== ids.length) {
      ctx.addIssue({ code: 'custom', path: ['guardians'], message: 'childcare.guardian.sameId' });
    }
  });

export type ChildcareForm = z.infer<typeof childcareForm>;
