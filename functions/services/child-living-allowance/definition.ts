/**
 * 事实无人抚养儿童基本生活保障 (民发〔2019〕62号): the township (street) civil-affairs office
 * reviews the application with a home visit (入户调查: it records the verified situation of each
 * parent and the household) → a public notice of 7 days in the village (a timer step: it passes
 * by itself unless an objection interrupts it, which the township then reviews) → the city
 * 民政局 confirms with the standard in force (computed, never typed) → a monthly allowance, whose
 * payments, annual reviews and termination live in this module's service.ts.
 */
import * as z from 'zod';
import { defineService } from '#core/engine/define-service';
import type { Application, FormData } from '#core/engine/types';
import type { FieldError } from '#core/errors';
import { isoDate } from '#core/forms/fields';
import { text } from '#core/forms/text';
import { messageText, t } from '#core/i18n';
import { type AllowanceForm, allowanceForm, eighteenthBirthday } from '#services/child-living-allowance/form';
import {
  householdSituations,
  type LivingStandard,
  parentConditions,
} from '#services/child-living-allowance/reference';

export const ALLOWANCE_SERVICE_ID = 'child-living-allowance';
export const TOWNSHIP_AGENCY = 'ca-township';
export const CITY_AGENCY = 'ca-city';
export const NOTICE_DAYS = 7;

const asForm = (form: FormData) => form as AllowanceForm;

/** A date in China time (YYYY-MM-DD). */
export const chinaDate = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
/** The month after the one `at` falls in (China time), YYYY-MM. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** What the home visit records: each parent's verified situation and the household. */
export const visitOutputs = z.strictObject({
  visitDate: isoDate(),
  fatherCondition: z.enum(parentConditions),
  motherCondition: z.enum(parentConditions),
  household: z.enum(householdSituations),
  findings: text({ min: 4, max: 500, lineBreaks: true }),
});

/** The confirmation records the standard's version and amount, and the first month paid. */
export const confirmationOutputs = z.strictObject({
  standardVersion: z.string().regex(/^\d{4}\.\d{1,4}$/),
  year: z.number().int().min(2020).max(2100),
  monthlyFen: z.number().int().positive(),
  startMonth: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
});
export type ConfirmationOutputs = z.infer<typeof confirmationOutputs>;

/** Payments start the month after the confirmation (China time). */
export function confirmationFrom(standard: LivingStandard, now: Date): ConfirmationOutputs {
  return {
    standardVersion: standard.id,
    year: standard.year,
    monthlyFen: standard.monthlyFen,
    startMonth: nextMonth(chinaDate(now).slice(0, 7)),
  };
}

const SIX_MONTHS_MS = 183 * 86_400_000;

export const childLivingAllowance = defineService({
  id: ALLOWANCE_SERVICE_ID,
  title: t('事实无人抚养儿童基本生活保障', 'Basic living allowance for children without caregivers'),
  description: t(
    '父母双方均重残、重病、服刑在押、强制隔离戒毒、失联等，或一方死亡、失踪而另一方符合上述情形的未满18周岁儿童，由实际抚养人（或村（居）委会代为）申请：乡镇（街道）入户调查审核、村（居）公示7天、市民政局确认，按月发放基本生活费，每年复核，年满18周岁终止。',
    'For children under 18 whose parents are both severely disabled, seriously ill, imprisoned, in compulsory isolation or out of contact, or one is dead or missing and the other so: the carer (or the village/community committee) applies; township review with a home visit, a 7-day public notice, confirmation by the city civil-affairs bureau; paid monthly, reviewed yearly, ends at 18.',
  ),
  form: allowanceForm,
  sla: { workingDays: 40 },
  // one chain of approvals: a refusal at any level refuses the application
  partialResults: false,
  sensitivePaths: [
    'child.idNumber',
    'father.idNumber',
    'mother.idNumber',
    'carer.idNumber',
    'bank.accountNumber',
  ],
  contactEmail: (form) => form.carer.email,
  township: (form) => form.child.township,
  label: (form) => `${form.child.name} · 基本生活保障`,
  unique: { paths: ['child.idNumber'] },
  check: ({ form, now }) => {
    const errors: FieldError[] = [];
    const today = chinaDate(now);
    if (eighteenthBirthday(form.child.birthDate) <= today) {
      errors.push({ path: 'form.child.birthDate', code: 'cla.over18', message: messageText('cla.over18') });
    }
    if (form.child.birthDate > today) {
      errors.push({ path: 'form.child.birthDate', code: 'date.future', message: messageText('date.future') });
    }
    for (const who of ['father', 'mother'] as const) {
      const p = form[who];
      if (p.condition === 'lost-contact' && p.since && Date.parse(p.since) > now.getTime() - SIX_MONTHS_MS) {
        errors.push({
          path: `form.${who}.since`,
          code: 'cla.lostContactShort',
          message: messageText('cla.lostContactShort'),
        });
      }
    }
    return errors;
  },
  steps: {
    'township-review': {
      kind: 'human',
      title: t('乡镇（街道）审核（入户调查）', 'Township review with a home visit'),
      agency: TOWNSHIP_AGENCY,
      byTownship: true,
      sla: { workingDays: 15 },
      outputs: visitOutputs,
      rejectReasons: {
        'not-eligible': t('经调查不符合事实无人抚养儿童条件', 'The visit found the child not eligible'),
        'information-false': t('申请信息与调查不符', 'The application does not match what was found'),
        'documents-missing': t('证明材料不全', 'Evidence is missing'),
      },
    },
    'public-notice': {
      kind: 'timer',
      title: t('村（居）公示7天', 'Public notice in the village (7 days)'),
      agency: TOWNSHIP_AGENCY,
      byTownship: true,
      needs: ['township-review'],
      timer: { days: NOTICE_DAYS },
      // the township's review of an objection
      sla: { workingDays: 5 },
      rejectReasons: {
        'objection-upheld': t('公示期间异议经核实成立', 'An objection during the notice was upheld'),
        'information-false': t('申请信息与核实不符', 'The application does not match what was verified'),
      },
    },
    'city-confirmation': {
      kind: 'human',
      title: t('市民政局确认（保障标准）', 'City civil-affairs confirmation (standard)'),
      agency: CITY_AGENCY,
      needs: ['public-notice'],
      sla: { workingDays: 15 },
      outputs: confirmationOutputs,
      computeOutputs: ({ input }) => {
        const { standard, now } = input as { standard: LivingStandard; now: Date };
        return confirmationFrom(standard, now);
      },
      rejectReasons: {
        'not-eligible': t('不符合事实无人抚养儿童条件', 'Not eligible'),
        'duplicate-benefit': t(
          '已纳入孤儿保障或其他同类保障',
          'Already receives the orphans’ allowance or a similar benefit',
        ),
      },
    },
  },
});

/** The confirmation an application carries once the city confirmed it. */
export function confirmationOf(app: Application): ConfirmationOutputs | undefined {
  const step = app.steps['city-confirmation'];
  if (step?.status !== 'done') return undefined;
  const parsed = confirmationOutputs.safeParse(step.outputs);
  return parsed.success ? parsed.data : undefined;
}

export const formOf = asForm;
