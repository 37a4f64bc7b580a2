import { beforeAll, describe, expect, it } from 'vitest';
import { chinaDay } from '#core/analytics/cells';
import { contributionsOf } from '#core/analytics/consumer';
import type { OpenCase } from '#core/analytics/ports';
import { type CaseTruth, syntheticCases } from '#core/analytics/synthetic';
import type { DomainEvent } from '#core/engine/types';
import { ForbiddenError, NotFoundError, ValidationError } from '#core/errors';
import { AnalyticsReports } from '#core/reports/analytics-reports';
import { toCsv } from '#core/reports/csv';
import { openCasesCsv } from '#core/reports/open-cases';
import { processingTimesCsv, weekOf } from '#core/reports/processing-times';
import { slaCsv } from '#core/reports/sla-breaches';
import { throughputCsv } from '#core/reports/throughput';
import { birthRegistration } from '#services/birth-registration/definition';
import { auditor, cw, parentA } from '../support/actors.ts';
import { MemoryStatsStore } from '../support/memory-stats-store.ts';

const service = 'birth-registration';
const store = new MemoryStatsStore();
const truths: CaseTruth[] = [];
const extra: DomainEvent[] = [];
/** the China day each synthetic case was settled (the day its case figures count on) */
const settledDay = new Map<string, string>();
const now = new Date('2025-02-10T04:00:00.000Z');
const open: OpenCase[] = [
  {
    status: 'in-progress',
    createdAt: '2025-02-09T20:00:00.000Z',
    township: 'liushi',
    dueAt: '2025-02-16T00:00:00.000Z',
    steps: [{ step: 'hukou', agency: 'police', status: 'open', openedAt: '2025-02-10T01:00:00.000Z' }],
  },
  {
    status: 'info-requested',
    createdAt: '2025-02-01T00:00:00.000Z',
    township: 'lecheng',
    dueAt: '2025-02-08T00:00:00.000Z',
    steps: [
      {
        step: 'birth-certificate',
        agency: 'health',
        status: 'info-requested',
        openedAt: '2025-02-01T00:00:00.000Z',
        dueAt: '2025-02-02T00:00:00.000Z',
      },
      { step: 'vaccination', agency: 'cdc', status: 'done', openedAt: '2025-02-01T00:00:00.000Z' },
    ],
  },
];
const reports = new AnalyticsReports({
  stats: store,
  openCases: { openCases: async () => open },
  clock: { now: () => now },
});

beforeAll(() => {
  for (const c of syntheticCases(birthRegistration, {
    cases: 400,
    days: 31,
    start: '2025-01-01T00:00:00+08:00',
    townships: ['liushi', 'lecheng'],
  })) {
    truths.push(c.truth);
    const settled = c.events.find((e) => ['completed', 'partially-completed', 'rejected'].includes(e.type));
    if (settled) settledDay.set(c.truth.appId, chinaDay(settled.at) as string);
    store.applySync(contributionsOf(c.events));
  }
  extra.push({
    eventId: 'breach-1',
    seq: 0,
    appId: 'x',
    service,
    type: 'sla-breached',
    at: '2025-01-15T02:00:00.000Z',
    actor: { sub: 'system', role: 'system' },
    step: 'hukou',
    agency: 'police',
    township: 'liushi',
  });
  store.applySync(contributionsOf(extra));
});

const range = { service, from: '2025-01-01', to: '2025-03-31' };

describe('GET /reports/processing-times (core)', () => {
  it('keeps the stable shape and adds wait/work/paused, rejects, requestInfo and first-time-right', async () => {
    const r = await reports.processingTimes(auditor, range);
    expect(r).toMatchObject({ service, from: '2025-01-01', to: '2025-03-31', unit: 'seconds' });
    const row = r.steps.find((s) => s.step === 'hukou')!;
    for (const k of ['count', 'p50', 'p90', 'p95', 'p99', 'withinSlaRate', 'mean', 'decided', 'rejects']) {
      expect(row).toHaveProperty(k);
    }
    expect(Object.keys(row.wait)).toEqual(['count', 'p50', 'p90', 'p95', 'p99', 'mean']);
    const hukou = truths.flatMap((c) => c.steps.filter((s) => s.step === 'hukou'));
    expect(row.count).toBe(hukou.length);
    expect(row.rejects).toBe(hukou.filter((s) => s.rejected).length);
    expect(row.requestInfo).toBe(hukou.filter((s) => s.infoRequested).length);
    expect(row.slaBreaches).toBe(1);
    expect(row.firstTimeRightRate).toBeCloseTo(
      hukou.filter((s) => !s.infoRequested).length / hukou.length,
      12,
    );
    expect(r.overall.step).toBe('overall');
    expect(r.overall.count).toBe(truths.length);
    expect(r.overall.cases.submitted).toBe(truths.length);
    expect(r.overall.decided).toBe(r.steps.reduce((n, s) => n + s.decided, 0));
  });

  it('filters by township and by agency, and groups by agency and by township', async () => {
    const liushi = await reports.processingTimes(auditor, { ...range, township: 'liushi' });
    expect(liushi.overall.count).toBe(truths.filter((c) => c.township === 'liushi').length);
    const police = await reports.processingTimes(auditor, { ...range, agency: 'police' });
    expect(police.steps.map((s) => s.step)).toEqual(['hukou']);
    const byAgency = await reports.processingTimes(auditor, { ...range, groupBy: 'agency' });
    expect(byAgency.groups?.map((g) => g.agency)).toEqual([
      'cdc',
      'health',
      'hrss',
      'medical-insurance',
      'police',
      'service-center',
    ]);
    const byTownship = await reports.processingTimes(auditor, { ...range, groupBy: 'township' });
    const overallRows = byTownship.groups?.filter((g) => g.step === 'overall') ?? [];
    expect(overallRows.map((g) => g.township)).toEqual(['lecheng', 'liushi']);
    expect(overallRows.reduce((n, g) => n + g.count, 0)).toBe(truths.length);
  });

  it('exports CSV with the original seven columns first, then the added figures', async () => {
    const csv = processingTimesCsv(await reports.processingTimes(auditor, { ...range, groupBy: 'township' }));
    const [head, ...lines] = csv.trimEnd().split('\n');
    expect(
      head!.startsWith('step,count,p50_seconds,p90_seconds,p95_seconds,p99_seconds,within_sla_rate,'),
    ).toBe(true);
    expect(head).toContain('wait_p90_seconds');
    expect(head).toContain('first_time_right_rate');
    expect(lines.some((l) => l.startsWith('overall,400,'))).toBe(true);
    expect(lines.filter((l) => l.endsWith(',township,')).length).toBeGreaterThan(0);
  });

  it('groups by week and by day for trends: each period’s figures are its own cases’', async () => {
    expect(weekOf('2025-01-01')).toBe('2024-12-30'); // a Wednesday → its Monday
    expect(weekOf('2025-01-06')).toBe('2025-01-06');
    expect(weekOf('2025-01-12')).toBe('2025-01-06'); // Sunday ends the week
    const weekly = await reports.processingTimes(auditor, { ...range, groupBy: 'week' });
    const rows = weekly.groups ?? [];
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.map((r) => r.period)).toEqual([...rows.map((r) => r.period)].sort());
    expect(rows.every((r) => r.step === 'overall' && weekOf(r.period as string) === r.period)).toBe(true);
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(truths.length);
    for (const row of rows) {
      const mine = truths
        .filter((c) => weekOf(settledDay.get(c.appId) as string) === row.period)
        .map((c) => c.totalSeconds)
        .sort((a, b) => a - b);
      expect(row.count).toBe(mine.length);
      const exact = mine[Math.ceil(0.5 * mine.length) - 1] as number;
      expect(Math.abs(row.p50 - exact) / exact).toBeLessThanOrEqual(0.01);
    }
    const daily = await reports.processingTimes(auditor, { ...range, groupBy: 'day' });
    expect(daily.groups?.reduce((n, r) => n + r.count, 0)).toBe(truths.length);
    expect(new Set(daily.groups?.map((r) => r.period)).size).toBe(daily.groups?.length);
    const csv = processingTimesCsv(weekly).trimEnd().split('\n');
    expect(csv[0]?.endsWith(',group_by,period')).toBe(true);
    expect(csv.filter((l) => /,week,\d{4}-\d{2}-\d{2}$/.test(l))).toHaveLength(rows.length);
  });

  it('rejects a reversed or over-long period and unknown services, and serves only auditors and admins', async () => {
    await expect(reports.processingTimes(auditor, { ...range, from: '2025-04-01' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      reports.processingTimes(auditor, { ...range, from: '2019-01-01', to: '2025-01-01' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(reports.processingTimes(auditor, { ...range, to: '2025-02-30' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(reports.processingTimes(auditor, { ...range, service: 'nope' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(reports.processingTimes(parentA, range)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(reports.throughput(cw('police', 'liushi'), range)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('other reports (core)', () => {
  it('SLA: late decisions, breaches per step and per day', async () => {
    const r = await reports.slaBreaches(auditor, range);
    const hukou = truths.flatMap((c) => c.steps.filter((s) => s.step === 'hukou'));
    const row = r.steps.find((s) => s.step === 'hukou')!;
    expect(row.decided).toBe(hukou.length);
    expect(row.late).toBe(hukou.filter((s) => !s.withinSla).length);
    expect(row.breaches).toBe(1);
    expect(r.overall.breaches).toBe(1);
    expect(r.days).toHaveLength(90);
    expect(r.days.find((d) => d.day === '2025-01-15')?.breaches).toBe(1);
    const csv = slaCsv(r);
    expect(csv.split('\n')[0]).toBe(
      'row,day,step,agency,township,decided,within_sla,late,within_sla_rate,breaches,late_cases',
    );
  });

  it('throughput: every day of the period, with totals matching the cases', async () => {
    const r = await reports.throughput(auditor, range);
    expect(r.days.map((d) => d.day)).toHaveLength(90);
    expect(r.totals.submitted).toBe(truths.length);
    expect(r.totals.settled).toBe(truths.length);
    expect(r.totals.completed).toBe(truths.filter((c) => c.outcome === 'completed').length);
    expect(r.totals.decisions).toBe(truths.reduce((n, c) => n + c.steps.length, 0));
    expect(r.days.find((d) => d.day === '2025-03-31')).toMatchObject({ submitted: 0, decisions: 0 });
    const csv = throughputCsv(r).trimEnd().split('\n');
    expect(csv).toHaveLength(92);
    expect(csv.at(-1)!.startsWith(`total,${truths.length},`)).toBe(true);
  });

  it('open cases: by status and age, open tasks per step, overdue counted', async () => {
    const r = await reports.openCases(auditor, { service, groupBy: 'township' });
    expect(r.total).toBe(2);
    expect(r.overdue).toBe(1);
    expect(r.cases.map((c) => [c.key, c.byAge.indexOf(1)])).toEqual([
      ['in-progress', 0],
      ['info-requested', 4],
    ]);
    expect(r.steps.map((s) => [s.key, s.open, s.overdue])).toEqual([
      ['birth-certificate', 1, 1],
      ['hukou', 1, 0],
    ]);
    expect(r.townships?.map((t) => t.key)).toEqual(['lecheng', 'liushi']);
    const filtered = await reports.openCases(auditor, { service, township: 'liushi' });
    expect(filtered.total).toBe(1);
    expect(openCasesCsv(r).split('\n')[0]).toBe(
      'row,key,agency,open,overdue,age_0-1d,age_1-2d,age_2-3d,age_3-5d,age_5-10d,age_10-30d,age_30d+',
    );
  });

  it('CSV escapes quotes, commas and formula-like text', () => {
    expect(toCsv(['a', 'b'], [['x,"y"', '=SUM(A1)']])).toBe('a,b\n"x,""y""",\'=SUM(A1)\n');
  });
});
