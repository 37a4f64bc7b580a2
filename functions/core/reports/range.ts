/**
 * Report periods: an inclusive range of China calendar days, validated once for every report
 * (a real date, from ≤ to, at most MAX_REPORT_DAYS days) so reads stay bounded.
 */
import { ValidationError } from '../errors.ts';
import { t } from '../i18n.ts';

export const MAX_REPORT_DAYS = 3 * 366;
/** Reports read from month rollup cells (a monthly trend) may span the plan's five years and more. */
export const MAX_MONTHLY_REPORT_DAYS = 6 * 366;
const DAY_MS = 86_400_000;

export interface DayRange {
  from: string;
  to: string;
}

const isRealDay = (d: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(d) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;

export function checkRange(from: string, to: string, maxDays = MAX_REPORT_DAYS): DayRange {
  const fields = [];
  if (!isRealDay(from)) {
    fields.push({ path: 'query.from', code: 'date.format', message: t('日期无效', 'Not a valid date') });
  }
  if (!isRealDay(to)) {
    fields.push({ path: 'query.to', code: 'date.format', message: t('日期无效', 'Not a valid date') });
  }
  if (fields.length > 0) throw new ValidationError(fields);
  if (from > to) {
    throw new ValidationError([
      {
        path: 'query.to',
        code: 'range.order',
        message: t('结束日期不能早于开始日期', 'The end date cannot be before the start date'),
      },
    ]);
  }
  if (daysBetween(from, to) + 1 > maxDays) {
    throw new ValidationError([
      {
        path: 'query.to',
        code: 'range.tooLong',
        message: t(`报表期间最长 ${maxDays} 天`, `A report period can be at most ${maxDays} days`),
      },
    ]);
  }
  return { from, to };
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Every day of the range, in order. */
export function eachDay({ from, to }: DayRange): string[] {
  const out: string[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ; ms += DAY_MS) {
    const day = new Date(ms).toISOString().slice(0, 10);
    if (day > to) break;
    out.push(day);
  }
  return out;
}

const monthAfter = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};
const monthBefore = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
};
const dayBefore = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
const lastDayOf = (m: string) => dayBefore(`${monthAfter(m)}-01`);

export interface CellSpan {
  /** days YYYY-MM-DD, or months YYYY-MM when `months` */
  from: string;
  to: string;
  months: boolean;
}

/**
 * A day range cut into the days before the first whole calendar month, the whole months, and
 * the days after the last whole month (empty parts left out): what a report that needs no
 * per-day figures reads as daily cells and as month rollup cells.
 */
export function monthSpans(from: string, to: string): CellSpan[] {
  const first = from.endsWith('-01') ? from.slice(0, 7) : monthAfter(from.slice(0, 7));
  const last = lastDayOf(to.slice(0, 7)) === to ? to.slice(0, 7) : monthBefore(to.slice(0, 7));
  if (first > last) return [{ from, to, months: false }];
  const spans: CellSpan[] = [];
  if (from < `${first}-01`) spans.push({ from, to: dayBefore(`${first}-01`), months: false });
  spans.push({ from: first, to: last, months: true });
  const after = `${monthAfter(last)}-01`;
  if (after <= to) spans.push({ from: after, to, months: false });
  return spans;
}
