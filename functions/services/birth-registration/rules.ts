/**
 * The automatic pre-check of a birth application: what a counter clerk checks before the
 * agencies start. Pure: depends only on the form and the current time.
 */

import type { BirthForm } from '#services/birth-registration/form';
import type { AutoContext, AutoResult } from '../../core/engine/types.ts';
import { type I18nText, t } from '../../core/i18n.ts';
import { birthDateOfId } from '../../core/id-number.ts';
import { isHospital } from '../../core/reference/leqing.ts';

/** Births older than this must be registered at a counter (户口登记条例: within a month, plus grace). */
export const REGISTRATION_WINDOW_DAYS = 60;
export const MIN_MOTHER_AGE_YEARS = 15;

export function precheckBirth({ form, now }: AutoContext<BirthForm>): AutoResult {
  const f = form;
  const reasons: I18nText[] = [];
  const birth = new Date(f.child.birthAt);
  if (birth.getTime() > now.getTime())
    reasons.push(t('出生时间晚于当前时间', 'The birth time is in the future'));
  const ageDays = (now.getTime() - birth.getTime()) / 86_400_000;
  if (ageDays > REGISTRATION_WINDOW_DAYS) {
    reasons.push(
      t(
        `出生已超过 ${REGISTRATION_WINDOW_DAYS} 天，请到派出所窗口办理`,
        `The birth was more than ${REGISTRATION_WINDOW_DAYS} days ago; please register at a police station`,
      ),
    );
  }
  if (!isHospital(f.child.hospital)) reasons.push(t('未知的助产机构', 'Unknown hospital'));
  const motherBirth = birthDateOfId(f.mother.idNumber);
  if (!motherBirth || yearsBetween(motherBirth, f.child.birthAt.slice(0, 10)) < MIN_MOTHER_AGE_YEARS) {
    reasons.push(
      t(
        `母亲应比孩子年长至少 ${MIN_MOTHER_AGE_YEARS} 岁`,
        `The mother must be at least ${MIN_MOTHER_AGE_YEARS} years older than the child`,
      ),
    );
  }
  if (f.father) {
    const fatherBirth = birthDateOfId(f.father.idNumber);
    if (!fatherBirth || yearsBetween(fatherBirth, f.child.birthAt.slice(0, 10)) < MIN_MOTHER_AGE_YEARS) {
      reasons.push(t('父亲的出生日期与孩子不符', "The father's birth date is implausible for this child"));
    }
  }
  if (f.father && f.father.idNumber === f.mother.idNumber) {
    reasons.push(t('父母身份证号不能相同', "The parents' ID numbers must differ"));
  }
  return reasons.length > 0 ? { outcome: 'reject', code: 'precheck-failed', reasons } : { outcome: 'pass' };
}

/** Whole years from date a (YYYY-MM-DD) to date b. */
function yearsBetween(a: string, b: string): number {
  const [ay, am, ad] = a.split('-').map(Number) as [number, number, number];
  const [by, bm, bd] = b.split('-').map(Number) as [number, number, number];
  return by - ay - (bm < am || (bm === am && bd < ad) ? 1 : 0);
}
