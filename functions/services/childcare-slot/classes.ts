/**
 * Age classes of nurseries (托育机构) and intake terms. A class takes children whose age in full
 * months at the start of the term is within [minMonths, maxMonths). Terms are `YYYY-MM` and start
 * on the first day of that month (spring intake in March, autumn intake in September).
 */
import { type I18nText, t } from '../../core/i18n.ts';

export const classIds = ['infant', 'toddler', 'older-toddler'] as const;
export type ClassId = (typeof classIds)[number];

export interface AgeClass {
  id: ClassId;
  name: I18nText;
  minMonths: number;
  maxMonths: number;
}

export const ageClasses: AgeClass[] = [
  { id: 'infant', name: t('乳儿班', 'Infant class'), minMonths: 6, maxMonths: 12 },
  { id: 'toddler', name: t('托小班', 'Toddler class'), minMonths: 12, maxMonths: 24 },
  { id: 'older-toddler', name: t('托大班', 'Older toddler class'), minMonths: 24, maxMonths: 36 },
];

export const MIN_AGE_MONTHS = 6;
export const MAX_AGE_MONTHS = 36;

export const TERM_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The first day of a term, YYYY-MM-DD. */
export const termStart = (term: string): string => `${term}-01`;

/** Full months from `birthDate` to `on` (both YYYY-MM-DD). */
export function ageInMonths(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  return (oy - by) * 12 + (om - bm) - (od < bd ? 1 : 0);
}

/** The class a child born on `birthDate` joins in `term`, or undefined when too young or too old. */
export function classFor(birthDate: string, term: string): AgeClass | undefined {
  const months = ageInMonths(birthDate, termStart(term));
  return ageClasses.find((c) => months >= c.minMonths && months < c.maxMonths);
}

export const className = (id: string): I18nText => ageClasses.find((c) => c.id === id)?.name ?? t(id, id);

/** The pool of a nursery's intake for one term and class. */
export const intakePool = (term: string, classId: string): string => `${term}#${classId}`;

export function parseIntakePool(pool: string): { term: string; classId: string } {
  const [term = '', classId = ''] = pool.split('#');
  return { term, classId };
}

/** The next `n` intake terms (March and September) starting after `now` (China time). */
export function upcomingTerms(now: Date, n = 2): string[] {
  const china = new Date(now.getTime() + 8 * 3600_000);
  let year = china.getUTCFullYear();
  let month = china.getUTCMonth() + 1;
  const out: string[] = [];
  while (out.length < n) {
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
    if (month === 3 || month === 9) out.push(`${year}-${String(month).padStart(2, '0')}`);
  }
  return out;
}
