/**
 * The automatic eligibility check of a rehab-aid application (pure: the form and the time):
 * age 0–17, an aid year that is this year or next, a designated institution that serves the
 * category and the age, a 居住证 still valid. Residence in the city (户籍 or 居住证, a township of
 * the city) and a known category are already guaranteed by the form.
 * Its outputs flag 0–6-year-olds as priority (抢救性康复) and fix the standard's age band.
 */

import { ageBandFor, ageOn, chinaYear, MAX_AGE } from '#services/rehab-aid/eligibility';
import type { RehabForm } from '#services/rehab-aid/form';
import {
  categoryNames,
  INSTITUTION_ORG_TYPE,
  type InstitutionRecord,
  institutionAvailable,
  institutionServes,
  seedInstitutionRecords,
} from '#services/rehab-aid/reference';
import { chinaDate } from '../../core/calendar.ts';
import type { AutoContext, AutoResult, OrgRecord } from '../../core/engine/types.ts';
import type { FieldError } from '../../core/errors.ts';
import { type I18nText, t } from '../../core/i18n.ts';

export function precheckRehab({ form, now }: AutoContext<RehabForm>): AutoResult {
  const f = form;
  const reasons: I18nText[] = [];
  const today = chinaDate(now);
  const age = ageOn(f.child.birthDate, today);
  if (age < 0 || f.child.birthDate > today)
    reasons.push(t('出生日期晚于今天', 'The birth date is in the future'));
  if (age > MAX_AGE) {
    reasons.push(t('康复救助对象为0至17周岁儿童', 'Rehabilitation aid is for children aged 0 to 17'));
  }
  const year = chinaYear(now);
  const { aidYear } = f.application;
  if (aidYear !== year && aidYear !== year + 1) {
    reasons.push(t(`救助年度应为 ${year} 或 ${year + 1} 年`, `The aid year must be ${year} or ${year + 1}`));
  }
  const band = ageBandFor(f.child.birthDate, aidYear);
  if (band.age > MAX_AGE) {
    reasons.push(t(`${aidYear} 年初儿童已满18周岁`, `The child is 18 or older at the start of ${aidYear}`));
  }
  const permit = f.child.residence === 'residence-permit' ? f.child.residencePermitExpiry : undefined;
  if (permit && permit < today) {
    reasons.push(t('居住证已过有效期', 'The residence permit has expired'));
  }
  if (reasons.length > 0) return { outcome: 'reject', code: 'not-eligible', reasons };
  return {
    outcome: 'pass',
    outputs: { ageYears: age, ageBand: band.band, priority: band.band === '0-6', aidYear },
  };
}

/** The institution as stored (an admin's latest version), else the seed's; undefined if neither. */
export function resolveInstitution(id: string, stored: OrgRecord | undefined): InstitutionRecord | undefined {
  if (stored)
    return stored.orgType === INSTITUTION_ORG_TYPE ? (stored.institution as InstitutionRecord) : undefined;
  return seedInstitutionRecords.find((i) => i.id === id);
}

/**
 * At submission, with the institution's record: it must be designated today, not suspended, and
 * serve the category at the child's age (a field error the family can correct at once).
 */
export function checkInstitution({
  form,
  now,
  orgs,
}: {
  form: RehabForm;
  now: Date;
  orgs: ReadonlyMap<string, OrgRecord>;
}): FieldError[] {
  const id = form.rehabilitation.institution;
  const path = 'form.rehabilitation.institution';
  const inst = resolveInstitution(id, orgs.get(id));
  if (!inst) {
    return [
      {
        path,
        code: 'rehab.institutionUnknown',
        message: t('未知的定点康复机构', 'Unknown designated rehabilitation institution'),
      },
    ];
  }
  const today = chinaDate(now);
  if (!institutionAvailable(inst, today)) {
    return [
      {
        path,
        code: 'rehab.institutionUnavailable',
        message: t(
          `${inst.name['zh-CN']}目前不是定点康复机构（已暂停或不在定点期内），请选择其他机构`,
          `${inst.name.en} is not designated at present (suspended or outside its designation); choose another`,
        ),
      },
    ];
  }
  const age = Math.max(0, ageOn(form.child.birthDate, today));
  // a child past 17 is the pre-check's (a stored, coded rejection), not the institution's
  if (age <= MAX_AGE && !institutionServes(inst, form.disability.category, age)) {
    const category = categoryNames[form.disability.category];
    return [
      {
        path,
        code: 'rehab.institutionDoesNotServe',
        message: t(
          `${inst.name['zh-CN']}不提供 ${age} 岁儿童的${category['zh-CN']}康复，请选择其他机构`,
          `${inst.name.en} does not serve ${category.en} rehabilitation at age ${age}; choose another`,
        ),
      },
    ];
  }
  return [];
}
