/**
 * The 残疾儿童康复救助 application form: the child, the guardian, the disability (certified with a
 * 残疾人证, or diagnosed by a recognised hospital), the family situation and the rehabilitation
 * wanted at a designated institution. A renewal (next aid year) or a change of institution is a
 * new application of the same form that names the previous one and goes through review again.
 */
import './messages.ts';
import * as z from 'zod';
import {
  address,
  channelFields,
  emailForChannels,
  idNumber,
  isoDate,
  mobile,
  personName,
  township,
} from '#core/forms/fields';
import { text } from '#core/forms/text';
import { birthDateOfId } from '#core/id-number';
import {
  certificateCategoryDigit,
  disabilityCategories,
  INSTITUTION_ID,
  isDiagnosisHospital,
  MULTIPLE_DISABILITY_DIGIT,
  rehabServices,
} from '#services/rehab-aid/reference';

export const applicationKinds = ['new', 'renewal', 'change-institution'] as const;
export const familySituations = ['dibao', 'tekun', 'other'] as const;
/**
 * 户籍 or 居住证: the policy (国发〔2018〕20号) lets a child apply where the household is
 * registered or where the child lives with a residence permit.
 */
export const residenceBases = ['hukou', 'residence-permit'] as const;
export const guardianRelationships = ['mother', 'father', 'grandparent', 'other-guardian'] as const;

const ulidString = () => z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { message: 'Not an application id' });

export const rehabForm = z
  .strictObject({
    application: z.strictObject({
      kind: z.enum(applicationKinds).default('new'),
      aidYear: z.number().int().min(2020).max(2100),
      previousApplication: ulidString().optional(),
    }),
    child: z.strictObject({
      name: personName(),
      idNumber: idNumber(),
      birthDate: isoDate(),
      sex: z.enum(['male', 'female']),
      township: township(),
      address: address(),
      residence: z.enum(residenceBases).default('hukou'),
      /** the 居住证's expiry date, with a residence permit */
      residencePermitExpiry: isoDate().optional(),
    }),
    guardian: z
      .strictObject({
        name: personName(),
        idNumber: idNumber(),
        phone: mobile(),
        relationship: z.enum(guardianRelationships),
        ...channelFields(),
      })
      .superRefine(emailForChannels),
    disability: z.strictObject({
      category: z.enum(disabilityCategories),
      certified: z.boolean(),
      certificateNumber: z.string().trim().toUpperCase().optional(),
      level: z.number().int().min(1).max(4).optional(),
      diagnosis: z
        .strictObject({
          hospital: z.string().refine(isDiagnosisHospital, { message: 'rehab.hospitalUnknown' }),
          date: isoDate().refine((v) => v <= new Date().toISOString().slice(0, 10), {
            message: 'date.future',
          }),
          summary: text({ min: 2, max: 500, lineBreaks: true }),
        })
        .optional(),
    }),
    family: z.strictObject({ situation: z.enum(familySituations) }),
    rehabilitation: z.strictObject({
      services: z.array(z.enum(rehabServices)).min(1).max(rehabServices.length),
      // designated, not suspended, serving the child: the definition's `check`, with the records
      institution: z.string().regex(INSTITUTION_ID, { message: 'rehab.institutionUnknown' }),
      notes: text({ max: 500, lineBreaks: true }).optional(),
    }),
  })
  .superRefine((form, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    if (birthDateOfId(form.child.idNumber) !== form.child.birthDate) {
      issue(['child', 'birthDate'], 'rehab.birthDateMismatch');
    }
    if (form.child.residence === 'residence-permit' && !form.child.residencePermitExpiry) {
      issue(['child', 'residencePermitExpiry'], 'rehab.permitExpiryRequired');
    }
    if (form.child.residence === 'hukou' && form.child.residencePermitExpiry) {
      issue(['child', 'residencePermitExpiry'], 'rehab.permitExpiryNotAllowed');
    }
    if (form.guardian.idNumber === form.child.idNumber)
      issue(['guardian', 'idNumber'], 'rehab.guardianIsChild');
    const d = form.disability;
    if (d.certified) {
      if (!d.certificateNumber) issue(['disability', 'certificateNumber'], 'rehab.certificateRequired');
      if (d.level === undefined) issue(['disability', 'level'], 'rehab.certificateRequired');
      if (d.certificateNumber && !/^\d{17}[\dX]\d{2}$/.test(d.certificateNumber)) {
        issue(['disability', 'certificateNumber'], 'rehab.certificateFormat');
      } else if (d.certificateNumber && d.level !== undefined) {
        const digit = d.certificateNumber[18];
        const matches =
          d.certificateNumber.slice(0, 18) === form.child.idNumber &&
          (digit === certificateCategoryDigit[d.category] || digit === MULTIPLE_DISABILITY_DIGIT) &&
          d.certificateNumber[19] === String(d.level);
        if (!matches) issue(['disability', 'certificateNumber'], 'rehab.certificateMismatch');
      }
    } else if (!d.diagnosis) {
      issue(['disability', 'diagnosis'], 'rehab.diagnosisRequired');
    }
    const { kind, previousApplication } = form.application;
    if (kind !== 'new' && !previousApplication) {
      issue(['application', 'previousApplication'], 'rehab.previousRequired');
    }
    if (kind === 'new' && previousApplication) {
      issue(['application', 'previousApplication'], 'rehab.previousNotAllowed');
    }
  });

export type RehabForm = z.infer<typeof rehabForm>;
