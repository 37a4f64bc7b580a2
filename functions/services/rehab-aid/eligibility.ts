/**
 * Pure eligibility facts of 残疾儿童康复救助, shared by the form, the automatic pre-check, the
 * approval (which standard band applies) and the plan: age, age band, priority (0–6: 抢救性康复),
 * months of the aid year. Dates are China dates (UTC+8).
 */

import { type AgeBand, categoryNames, type DisabilityCategory } from '#services/rehab-aid/reference';
import { chinaDate } from '../../core/calendar.ts';

export const MAX_AGE = 17;
export const PRIORITY_MAX_AGE = 6;

/** Whole years from `birthDate` to `on` (both YYYY-MM-DD); negative before birth. */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * The band of the yearly standard is fixed by the age on 1 January of the aid year (a child born
 * during the aid year counts as 0), so one plan has one band for its whole year.
 */
export function ageBandFor(birthDate: string, aidYear: number): { age: number; band: AgeBand } {
  const age = Math.max(0, ageOn(birthDate, `${aidYear}-01-01`));
  return { age, band: age <= PRIORITY_MAX_AGE ? '0-6' : '7-17' };
}

export const chinaMonth = (at: Date): string => chinaDate(at).slice(0, 7);
export const chinaYear = (at: Date): number => Number(chinaDate(at).slice(0, 4));

/** `王小明` → `王*明`, `王明` → `王*`: lists and e-mails name the child without naming them. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

export function caseLabel(childName: string, category: DisabilityCategory, priority: boolean): string {
  return `${maskName(childName)} · 康复救助（${categoryNames[category]['zh-CN']}）${priority ? ' · 抢救性康复' : ''}`;
}
