/**
 * Report periods: an inclusive range of China calendar days, validated once for every report
 * (a real date, from ≤ to, at most MAX_REPORT_DAYS days) so reads stay bounded.
 */
import { ValidationError } from '../errors.ts';
import { t } from '../i18n.ts';

export const MAX_REPORT_DAYS = 3 * 366;
const DAY_MS = 86_400_000;

export interface DayRange {
  from: string;
  to: string;
}

const isRealDay = (d: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(d) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;

export function checkRange(from: string, to: string): DayRange {
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
  if (daysBetween(from, to) + 1 > MAX_REPORT_DAYS) {
    throw new ValidationError([
      {
        path: 'query.to',
        code: 'range.tooLong',
        message: t(
          `报表期间最长 ${MAX_REPORT_DAYS} 天`,
          `A report period can be at most ${MAX_REPORT_DAYS} days`,
        ),
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
