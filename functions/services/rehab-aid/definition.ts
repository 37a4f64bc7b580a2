/**
 * 残疾儿童康复救助: automatic eligibility check, then township 残联 (the child's township only) →
 * city 残联 → assessment by the designated institution the family chose (its own staff only:
 * the step's agency is `rehab-institution:<id>`, fixed when it opens) → approval by the city
 * 残联 with the aid standard in force. Every human level approves, rejects with a coded reason or
 * asks the family for more (documents, corrections) with the clock paused. What follows approval
 * (the institution chosen, the plan, claims, settlement) lives in this module's service.ts.
 */
import * as z from 'zod';
import { strictInt } from '#core/forms/strict-int';
import { text } from '#core/forms/text';
import { ageBandFor, caseLabel } from '#services/rehab-aid/eligibility';
import { familySituations, type RehabForm, rehabForm } from '#services/rehab-aid/form';
import {
  type AidStandard,
  ageBands,
  disabilityCategories,
  INSTITUTION_ID,
} from '#services/rehab-aid/reference';
import { checkInstitution, precheckRehab } from '#services/rehab-aid/rules';
import { capsFor } from '#services/rehab-aid/standards';
import { defineService } from '../../core/engine/define-service.ts';
import type { Application, FormData } from '../../core/engine/types.ts';
import { t } from '../../core/i18n.ts';

export const REHAB_SERVICE_ID = 'rehab-aid';
export const INSTITUTION_AGENCY = 'rehab-institution';

/** The agency of one institution's staff: `rehab-institution:<institution id>`. */
export const institutionAgency = (institution: string) => `${INSTITUTION_AGENCY}:${institution}`;

/** The institution a caseworker works for, when their agency is one institution's. */
export function institutionOfAgency(agency: string | undefined): string | undefined {
  const prefix = `${INSTITUTION_AGENCY}:`;
  if (!agency?.startsWith(prefix)) return undefined;
  const id = agency.slice(prefix.length);
  return INSTITUTION_ID.test(id) ? id : undefined;
}

/** A stored application's form (applications hold forms of any service). */
const asForm = (form: FormData) => form as RehabForm;

const documents = {
  'documents-missing': t('材料不全', 'Documents are missing'),
  'documents-invalid': t('材料无效或与申请不符', 'Documents are invalid or do not match the application'),
};

/** An approval records the standard version and the caps it applied (see core/rehab/standards.ts). */
export const approvalOutputs = z.strictObject({
  standardVersion: z.string().regex(/^\d{4}\.\d{1,4}$/),
  year: z.number().int().min(2020).max(2100),
  category: z.enum(disabilityCategories),
  ageBand: z.enum(ageBands),
  monthlyCapFen: z.number().int().positive(),
  yearlyCapFen: z.number().int().positive(),
});
export type ApprovalOutputs = z.infer<typeof approvalOutputs>;

/** What an approval records: the standard's version and the caps for the child's category and age. */
export function approvalFrom(form: RehabForm, standard: AidStandard): ApprovalOutputs {
  const { band } = ageBandFor(form.child.birthDate, form.application.aidYear);
  return {
    standardVersion: standard.id,
    year: standard.year,
    category: form.disability.category,
    ageBand: band,
    ...capsFor(standard, form.disability.category, band),
  };
}

/** The assessing institution is the step's agency (`rehab-institution:<id>`), not an output. */
export const assessmentOutputs = z.strictObject({
  assessedLevel: z.enum(['mild', 'moderate', 'severe', 'profound']),
  sessionsPerMonth: strictInt(1, 62),
  plan: text({ min: 4, max: 500, lineBreaks: true }),
});

export const rehabAid = defineService({
  id: REHAB_SERVICE_ID,
  title: t('残疾儿童康复救助', 'Rehabilitation aid for disabled children'),
  description: t(
    '0至17周岁残疾儿童（0至6周岁优先）申请康复救助：乡镇残联初审、市残联审核、定点康复机构评估、市残联审批，救助资金由市残联与定点机构直接结算。',
    'Rehabilitation aid for disabled children aged 0–17 (0–6 first): township review, city review, assessment by a designated institution, city approval; the city pays the institution directly.',
  ),
  form: rehabForm,
  sla: { workingDays: 25 },
  sensitivePaths: ['child.idNumber', 'guardian.idNumber', 'disability.certificateNumber'],
  // One open application per child (a renewal or change of institution follows a closed one),
  // found by the blind index of the ID number: a second one is a 409, nothing stored.
  unique: { paths: ['child.idNumber'] },
  // the institution the family prefers, as admins maintain it (designated, not suspended, serving)
  orgs: (form) => [form.rehabilitation.institution],
  check: checkInstitution,
  contactEmail: (form) => form.guardian.email,
  contactPhone: (form) => form.guardian.phone,
  notifyChannels: (form) => form.guardian.channels,
  township: (form) => form.child.township,
  label: (form) => {
    const f = form;
    const { band } = ageBandFor(f.child.birthDate, f.application.aidYear);
    return caseLabel(f.child.name, f.disability.category, band === '0-6');
  },
  steps: {
    precheck: { kind: 'auto', title: t('资格自动审核', 'Automatic eligibility check'), run: precheckRehab },
    'township-review': {
      kind: 'human',
      title: t('乡镇（街道）残联初审', 'Township DPF review'),
      agency: 'dpf-township',
      byTownship: true,
      needs: ['precheck'],
      sla: { workingDays: 5 },
      outputs: z.strictObject({ familySituation: z.enum(familySituations) }),
      rejectReasons: {
        ...documents,
        'not-resident': t(
          '户籍或居住证不在本市，或无法核实',
          'Neither the household registration nor a residence permit is in the city, or it cannot be verified',
        ),
        'information-false': t('申请信息与核查不符', 'The application does not match what was verified'),
      },
    },
    'city-review': {
      kind: 'human',
      title: t('市残联审核', 'City DPF review'),
      agency: 'dpf-city',
      needs: ['township-review'],
      sla: { workingDays: 5 },
      outputs: z.strictObject({}),
      rejectReasons: {
        ...documents,
        'not-eligible': t('不符合救助条件', 'Not eligible for rehabilitation aid'),
        'duplicate-aid': t('已享受同类康复救助', 'Already receives the same kind of rehabilitation aid'),
      },
    },
    assessment: {
      kind: 'human',
      title: t('定点康复机构评估', 'Assessment by the designated institution'),
      agency: INSTITUTION_AGENCY,
      agencyOf: (app: Application) => institutionAgency(asForm(app.form).rehabilitation.institution),
      needs: ['city-review'],
      sla: { workingDays: 10 },
      outputs: assessmentOutputs,
      rejectReasons: {
        'not-indicated': t('经评估不需要康复训练', 'Rehabilitation is not indicated'),
        'category-mismatch': t(
          '评估结果与申请的残疾类别不符',
          'The assessment does not match the category applied for',
        ),
        'no-show': t('儿童未按约到机构评估', 'The child did not attend the assessment'),
      },
    },
    approval: {
      kind: 'human',
      title: t('市残联审批（救助标准）', 'City DPF approval (aid standard)'),
      agency: 'dpf-city',
      needs: ['assessment'],
      sla: { workingDays: 3 },
      outputs: approvalOutputs,
      // the caps of the aid standard in force, read by RehabService.approve: never typed
      computeOutputs: ({ app, input }) => approvalFrom(asForm(app.form), input as AidStandard),
      rejectReasons: {
        'not-eligible': t('不符合救助条件', 'Not eligible for rehabilitation aid'),
        'budget-exhausted': t('本年度救助资金已用完', "This year's aid budget is exhausted"),
      },
    },
  },
});
