/**
 * The automatic eligibility check of a rehab-aid application (pure: the form and the time):
 * age 0–17, an aid year that is this year or next, a designated institution that serves the
 * category and the age, a 居住证 still valid. Residence in the city (户籍 or 居住证, a township of
 * the city) and a known category are already guaranteed by the form.
 * Its outputs flag 0–6-year-olds as priority (抢救性康复) and fix the standard's age band.
 */

import { ageBandFor, ageOn, chinaYear, MAX_AGE } from '#services/rehab-aid/eligibility';
import type { RehabForm } from '#services/rehab-aid/form';
import { categoryNames, findInstitution, institutionServes } from '#services/rehab-aid/reference';
import { chinaDate } from '../../core/calendar.ts';
import type { AutoContext, AutoResult } from '../../core/engine/types.ts';
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
  const inst = findInstitution(f.rehabilitation.institution);
  const category = categoryNames[f.disability.category];
  if (inst && !institutionServes(inst, f.disability.category, Math.max(0, age))) {
    reasons.push(
      t(
        `${inst.name['zh-CN']}不提供该年龄儿童的${category['zh-CN']}康复`,
        `${inst.name.en} does not serve ${category.en} rehabilitation at this age`,
      ),
    );
  }
  if (reasons.length > 0) return { outcome: 'reject', code: 'not-eligible', reasons };
  return {
    outcome: 'pass',
    outputs: { ageYears: age, ageBand: band.band, priority: band.band === '0-6', aidYear },
  };
}
