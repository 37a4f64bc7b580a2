/** Childcare test data: distinct children from the fixture form, and intake pools. */

import { t } from '#core/i18n';
import { makeIdNumber } from '#core/id-number';
import { intakePool } from '#services/childcare-slot/classes';
import { fixtureForm } from './forms.ts';

export const TERM = '2027-03';
/** 17 months old on 2027-03-01: the toddler class (托小班). */
export const TODDLER_BIRTH = '2025-09-15';
export const toddlerPool = (term = TERM) => intakePool(term, 'toddler');

const REGIONS = [
  '330382',
  '330381',
  '330327',
  '330328',
  '330329',
  '330324',
  '330302',
  '330303',
  '330304',
  '330305',
];

/** The fixture form for the i-th distinct child (0 ≤ i < 10000): own name and ID number. */
export function childForm(
  i: number,
  opts: {
    birthDate?: string;
    term?: string;
    preferences?: string[];
    priority?: string[];
    email?: string;
  } = {},
): Record<string, any> {
  const form = fixtureForm('childcare-slot');
  const birthDate = opts.birthDate ?? TODDLER_BIRTH;
  const region = REGIONS[Math.floor(i / 1000)] as string;
  form.child.birthDate = birthDate;
  form.child.idNumber = makeIdNumber(region, birthDate, String(i % 1000).padStart(3, '0'));
  form.child.name = `测试儿童${i}`;
  form.term = opts.term ?? TERM;
  if (opts.preferences) form.preferences = opts.preferences;
  form.priority = opts.priority ?? [];
  if (opts.email) form.contact.email = opts.email;
  return form;
}

export const nurseryData = (id: string) => ({
  nurseryName: t(`${id} 托育园`, `${id} nursery`),
  township: 'liushi',
  mode: 'rolling',
});

/** Dates that stay valid whenever the suite runs: the next intake term and a toddler's birth date. */
export function upcoming(now = new Date()): { term: string; birthDate: string } {
  const china = new Date(now.getTime() + 8 * 3600_000);
  let year = china.getUTCFullYear();
  let month = china.getUTCMonth() + 1;
  do {
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  } while (month !== 3 && month !== 9);
  // 17 months before the first of the term: the toddler class (托小班).
  const birth = new Date(Date.UTC(year, month - 1 - 17, 15));
  return { term: `${year}-${String(month).padStart(2, '0')}`, birthDate: birth.toISOString().slice(0, 10) };
}
