/**
 * The 事实无人抚养儿童基本生活保障 application form: the child, each parent's situation (with the
 * date it began), the actual carer who applies, or the village/community committee applying on
 * the family's behalf, and the bank account the allowance is paid into. Whether the parents'
 * situations qualify is checked here; the child's age and the 6 months of lost contact are
 * checked against the clock by the definition's `check`.
 */
import './messages.ts';
import * as z from 'zod';
import { address, email, idNumber, isoDate, mobile, personName, township } from '#core/forms/fields';
import { text } from '#core/forms/text';
import { birthDateOfId } from '#core/id-number';
import {
  carerRelationships,
  isAbsent,
  isUnable,
  type ParentCondition,
  parentConditions,
} from '#services/child-living-allowance/reference';

const parent = z.strictObject({
  name: personName(),
  idNumber: idNumber().optional(),
  condition: z.enum(parentConditions),
  /** when the situation began (death, sentence, last contact…) */
  since: isoDate().optional(),
  details: text({ max: 300, lineBreaks: true }).optional(),
});

export const allowanceForm = z
  .strictObject({
    child: z.strictObject({
      name: personName(),
      idNumber: idNumber(),
      birthDate: isoDate(),
      sex: z.enum(['male', 'female']),
      township: township(),
      address: address(),
    }),
    father: parent,
    mother: parent,
    carer: z.strictObject({
      name: personName(),
      idNumber: idNumber(),
      relationship: z.enum(carerRelationships),
      phone: mobile(),
      email: email(),
    }),
    applicant: z.strictObject({
      kind: z.enum(['carer', 'committee']),
      committee: z
        .strictObject({
          name: text({ min: 4, max: 60 }),
          contactName: personName(),
          phone: mobile(),
        })
        .optional(),
    }),
    bank: z.strictObject({
      accountName: personName(),
      bankName: text({ min: 2, max: 60 }),
      accountNumber: z
        .string()
        .trim()
        .regex(/^\d{12,19}$/, { message: 'cla.accountFormat' }),
    }),
    notes: text({ max: 500, lineBreaks: true }).optional(),
  })
  .superRefine((form, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    if (birthDateOfId(form.child.idNumber) !== form.child.birthDate) {
      issue(['child', 'birthDate'], 'cla.birthDateMismatch');
    }
    if (form.carer.idNumber === form.child.idNumber) issue(['carer', 'idNumber'], 'cla.carerIsChild');
    for (const who of ['father', 'mother'] as const) {
      const p = form[who];
      if (p.idNumber && p.idNumber === form.child.idNumber) issue([who, 'idNumber'], 'cla.parentIdSame');
      if (p.condition === 'able') issue([who, 'condition'], 'cla.parentAble');
      else if (!p.since) issue([who, 'since'], 'cla.sinceRequired');
    }
    const f = form.father.condition;
    const m = form.mother.condition;
    if (isAbsent(f) && isAbsent(m)) issue(['mother', 'condition'], 'cla.orphan');
    const { kind, committee } = form.applicant;
    if (kind === 'committee' && !committee) issue(['applicant', 'committee'], 'cla.committeeRequired');
    if (kind === 'carer' && committee) issue(['applicant', 'committee'], 'cla.committeeNotAllowed');
  });

export type AllowanceForm = z.infer<typeof allowanceForm>;

/**
 * 62号: both parents unable (重残、重病、服刑在押、强制隔离戒毒、限制人身自由、失联), or one
 * parent dead or missing and the other unable. (Both dead or missing: an orphan, another benefit.)
 */
export function qualifies(f: ParentCondition, m: ParentCondition): boolean {
  if (f === 'able' || m === 'able') return false;
  if (isAbsent(f) && isAbsent(m)) return false;
  return isUnable(f) || isUnable(m);
}

/** The child's 18th birthday (a 29 February birthday turns 18 on 1 March). */
export function eighteenthBirthday(birthDate: string): string {
  const [y, mo, d] = birthDate.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(y + 18, mo - 1, d));
  return at.toISOString().slice(0, 10);
}
