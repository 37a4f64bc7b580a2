import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '#core/calendar';

// Instants in China time for readability.
const cst = (s: string) => new Date(`${s}+08:00`);

describe('WorkingCalendar', () => {
  const cal = new WorkingCalendar();

  it('treats National Day as a holiday and a 调休 weekend as a working day', () => {
    expect(cal.isWorkingDay('2026-10-01')).toBe(false);
    expect(cal.isWorkingDay('2026-10-10')).toBe(true); // Saturday make-up day
    expect(cal.isWorkingDay('2026-11-28')).toBe(false); // ordinary Saturday
  });

  it('counts working days past weekends and holidays', () => {
    // Opened Wednesday 2026-09-30 10:00; 1 working day later skips the 1–7 October holiday.
    const due = cal.addWorkingDays(cst('2026-09-30T10:00:00'), 1);
    expect(due.at.toISOString()).toBe(cst('2026-10-08T23:59:59.999').toISOString());
    expect(due.provisional).toBe(false);
  });

  it('marks a due date in a year without holiday data as provisional, never silently', () => {
    expect(cal.hasYear(2027)).toBe(false);
    const due = cal.addWorkingDays(cst('2026-12-30T09:00:00'), 5);
    expect(due.provisional).toBe(true);
    expect(cal.missingYears(2026, 2027)).toEqual([2027]);
  });

  it('uses a year an admin added as data', () => {
    const withYear = new WorkingCalendar({ 2027: { holidays: ['2027-01-01'], workdays: [] } });
    expect(withYear.hasYear(2027)).toBe(true);
    expect(withYear.isWorkingDay('2027-01-01')).toBe(false);
    const due = withYear.addWorkingDays(cst('2026-12-31T09:00:00'), 1);
    expect(due.at.toISOString()).toBe(cst('2027-01-04T23:59:59.999').toISOString());
    expect(due.provisional).toBe(false);
  });
});
