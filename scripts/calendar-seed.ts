/**
 * Refreshes functions/core/reference/holidays.json from the maintained `chinese-days` package:
 * the holiday and 调休 days of the years the service can still touch (from two years back). The
 * package carries every year since 2004 (43 KB); Lambda bundles need only the recent ones.
 * Run after updating chinese-days: `npx tsx scripts/calendar-seed.ts`.
 */
import { writeFileSync } from 'node:fs';
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

const FROM_YEAR = new Date().getUTCFullYear() - 2;
const data = chineseDays as { holidays: Record<string, string>; workdays: Record<string, string> };
const recent = (days: Record<string, string>) =>
  Object.keys(days)
    .filter((d) => Number(d.slice(0, 4)) >= FROM_YEAR)
    .sort();
const out = {
  source: 'chinese-days',
  fromYear: FROM_YEAR,
  holidays: recent(data.holidays),
  workdays: recent(data.workdays),
};
writeFileSync(
  new URL('../functions/core/reference/holidays.json', import.meta.url),
  `${JSON.stringify(out, null, 1)}\n`,
);
console.log(
  `holidays.json: ${out.holidays.length} holidays, ${out.workdays.length} make-up working days since ${FROM_YEAR}`,
);
