/**
 * Working days in China: weekends and public holidays are off, except 调休 make-up working days.
 * Holiday data comes from the maintained `chinese-days` package (recent years, seeded into
 * reference/holidays.json) plus years an admin adds as data
 * (the State Council publishes a year's calendar only in Nov/Dec). A year with no data is never
 * silently counted as weekdays only: results that touch it are marked `provisional`, and
 * `missingYears` lets /health and the admin console report it.
 *
 * Times are instants (ISO strings / Date); days are in China Standard Time (UTC+8, no DST).
 */
// Recent years of the `chinese-days` package's data (scripts/calendar-seed.ts refreshes it).
import holidaySeed from './reference/holidays.json' with { type: 'json' };

const CST_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

export interface YearCalendar {
  /** YYYY-MM-DD days off that would otherwise be working days (法定节假日) */
  holidays: string[];
  /** YYYY-MM-DD weekend days that are working days (调休上班) */
  workdays: string[];
}

export interface DueResult {
  at: Date;
  /** true when a year without calendar data was involved: weekdays were assumed */
  provisional: boolean;
}

export class WorkingCalendar {
  private readonly holidays = new Set<string>();
  private readonly workdays = new Set<string>();
  private readonly years = new Set<number>();

  constructor(extraYears: Record<number, YearCalendar> = {}, base: YearCalendar = packageCalendar()) {
    this.addData(base);
    for (const [year, data] of Object.entries(extraYears)) this.addYear(Number(year), data);
  }

  /** Adds (or completes) one year's data; that year then counts as covered. */
  addYear(year: number, data: YearCalendar): void {
    this.addData(data);
    this.years.add(year);
  }

  private addData(data: YearCalendar) {
    for (const d of data.holidays) {
      this.holidays.add(d);
      this.years.add(Number(d.slice(0, 4)));
    }
    for (const d of data.workdays) this.workdays.add(d);
  }

  hasYear(year: number): boolean {
    return this.years.has(year);
  }

  coveredYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  /** Years from `fromYear` to `toYear` (inclusive) with no calendar data. */
  missingYears(fromYear: number, toYear: number): number[] {
    const out: number[] = [];
    for (let y = fromYear; y <= toYear; y++) if (!this.years.has(y)) out.push(y);
    return out;
  }

  /** Whether the China-time day YYYY-MM-DD is a working day. */
  isWorkingDay(day: string): boolean {
    if (this.workdays.has(day)) return true;
    if (this.holidays.has(day)) return false;
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * The end (24:00 China time) of the n-th working day after the day of `from`. With n = 0 it is
   * the end of `from`'s own day if that is a working day, else of the next working day.
   */
  addWorkingDays(from: Date, n: number): DueResult {
    let provisional = false;
    let dayStart = chinaDayStart(from);
    let remaining = n;
    const touch = (ms: number) => {
      if (!this.years.has(new Date(ms + CST_OFFSET_MS).getUTCFullYear())) provisional = true;
    };
    touch(dayStart);
    if (remaining === 0) {
      while (!this.isWorkingDay(chinaDay(dayStart))) {
        dayStart += DAY_MS;
        touch(dayStart);
      }
    }
    while (remaining > 0) {
      dayStart += DAY_MS;
      touch(dayStart);
      if (this.isWorkingDay(chinaDay(dayStart))) remaining--;
    }
    return { at: new Date(dayStart + DAY_MS - 1), provisional };
  }
}

/** UTC epoch ms of 00:00 China time on the China-time day containing `at`. */
function chinaDayStart(at: Date): number {
  const local = at.getTime() + CST_OFFSET_MS;
  return local - (local % DAY_MS) - CST_OFFSET_MS;
}

function chinaDay(dayStartMs: number): string {
  return new Date(dayStartMs + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The China-time calendar day (YYYY-MM-DD) of an instant. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

function packageCalendar(): YearCalendar {
  return { holidays: holidaySeed.holidays, workdays: holidaySeed.workdays };
}
