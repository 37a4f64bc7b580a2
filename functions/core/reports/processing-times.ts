/**
 * Processing-time report (DESIGN §8, `GET /reports/processing-times`): per human step and
 * overall, count, p50/p90/p95/p99 in seconds and the within-SLA rate, plus queue wait before a
 * claim, work after it, time paused for the parent, rejects, requests for information and the
 * first-time-right rate. Answered by merging daily DDSketch cells, never by reading cases.
 *
 * Step rows count decisions (approve or reject) made in the period, by decision day. The overall
 * row's count/percentiles/withinSlaRate are whole cases settled in the period (submission →
 * settled); its decision figures (wait, work, paused, decided, rejects, requestInfo,
 * firstTimeRightRate, slaBreaches) are the steps' merged. Percentiles follow DDSketch's rank
 * convention (value at rank ⌊q·(n−1)⌋) within 1% relative error.
 */
import type { Cell, CellStats } from '../analytics/cells.ts';
import type { StatsStore } from '../analytics/ports.ts';
import type { QuantileSummary, Sketch } from '../analytics/sketch.ts';
import type { ServiceDefinition } from '../engine/types.ts';
import { agencyOf, count, groupCells, isCase, rate, sketchOf, stepOrder } from './aggregate.ts';
import { type CsvValue, toCsv } from './csv.ts';
import { checkRange, MAX_MONTHLY_REPORT_DAYS, MAX_REPORT_DAYS } from './range.ts';

export type GroupBy = 'step' | 'agency' | 'township';
/** Processing times also group by period, for trends: one overall row per China day, week or month. */
export type ProcessingGroupBy = GroupBy | 'day' | 'week' | 'month';

/** The Monday (YYYY-MM-DD) of the week of a YYYY-MM-DD day. */
export function weekOf(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  return new Date(ms - weekday * 86_400_000).toISOString().slice(0, 10);
}

/** The stable part of a row (DESIGN §8); the console and integrators rely on it. */
export interface TimingRow {
  step: string;
  count: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  withinSlaRate: number | null;
}

export type DurationSummary = QuantileSummary;

export interface ProcessingTimeRow extends TimingRow {
  mean: number | null;
  /** queue time: step opened → claimed */
  wait: DurationSummary;
  /** claimed → decided, minus paused time */
  work: DurationSummary;
  /** waiting for the parent after a request for information */
  paused: DurationSummary;
  decided: number;
  approved: number;
  rejects: number;
  requestInfo: number;
  /** share of decisions made without asking the parent for more information */
  firstTimeRightRate: number | null;
  /** steps that passed their due time while still open */
  slaBreaches: number;
  agency?: string | undefined;
  township?: string | undefined;
  /** with groupBy=day|week|month: the day, the Monday of the week or the month YYYY-MM (China calendar) */
  period?: string | undefined;
}

export interface OverallRow extends ProcessingTimeRow {
  cases: {
    submitted: number;
    settled: number;
    completed: number;
    partiallyCompleted: number;
    rejected: number;
    withdrawn: number;
    resubmitted: number;
  };
}

export interface ProcessingTimesQuery {
  from: string;
  to: string;
  groupBy?: ProcessingGroupBy | undefined;
  agency?: string | undefined;
  township?: string | undefined;
}

export interface ProcessingTimesReport {
  service: string;
  from: string;
  to: string;
  unit: 'seconds';
  groupBy: ProcessingGroupBy;
  filters: { agency?: string | undefined; township?: string | undefined };
  steps: ProcessingTimeRow[];
  overall: OverallRow;
  /** with groupBy=agency: one row per agency (its steps merged); with groupBy=township: per
   * township, one row per step and one `overall` row; with groupBy=day|week: one `overall` row
   * per period that has data, oldest first (cases by the day they were settled) */
  groups?: ProcessingTimeRow[];
}

function decisionFigures(s: CellStats | undefined) {
  return {
    wait: sketchOf(s, 'wait').summary(),
    work: sketchOf(s, 'work').summary(),
    paused: sketchOf(s, 'paused').summary(),
    decided: count(s, 'decided'),
    approved: count(s, 'approved'),
    rejects: count(s, 'rejected'),
    requestInfo: count(s, 'infoRequests'),
    firstTimeRightRate: rate(count(s, 'firstTimeRight'), count(s, 'decided')),
    slaBreaches: count(s, 'breaches'),
  };
}

function timing(step: string, total: Sketch, s: CellStats | undefined) {
  const { count: n, p50, p90, p95, p99, mean } = total.summary();
  return {
    step,
    count: n,
    p50,
    p90,
    p95,
    p99,
    withinSlaRate: rate(count(s, 'withinSla'), count(s, 'slaKnown')),
    mean,
  };
}

export function stepRow(step: string, s: CellStats | undefined): ProcessingTimeRow {
  return { ...timing(step, sketchOf(s, 'total'), s), ...decisionFigures(s) };
}

export function overallRow(cases: CellStats | undefined, steps: CellStats | undefined): OverallRow {
  return {
    ...timing('overall', sketchOf(cases, 'total'), cases),
    ...decisionFigures(steps),
    cases: {
      submitted: count(cases, 'submitted'),
      settled: count(cases, 'settled'),
      completed: count(cases, 'completed'),
      partiallyCompleted: count(cases, 'partial'),
      rejected: count(cases, 'casesRejected'),
      withdrawn: count(cases, 'withdrawn'),
      resubmitted: count(cases, 'resubmitted'),
    },
  };
}

const hasData = (s: CellStats) =>
  Object.values(s.counters).some((n) => n > 0) ||
  Object.values(s.sketches).some((k) => k !== undefined && !k.isEmpty());

function stepRows(def: ServiceDefinition, cells: Cell[], agency?: string): ProcessingTimeRow[] {
  const stepCells = cells.filter((c) => !isCase(c) && (agency === undefined || c.agency === agency));
  const byStep = groupCells(stepCells, (c) => c.step);
  return stepOrder(def, byStep.keys())
    .filter((step) => hasData(byStep.get(step) as CellStats))
    .map((step) => ({ ...stepRow(step, byStep.get(step)), agency: agencyOf(def, step, '-') }));
}

function overallOf(cells: Cell[], agency?: string): OverallRow {
  const cases = groupCells(cells, (c) => (isCase(c) ? 'x' : undefined)).get('x');
  const steps = groupCells(cells, (c) =>
    !isCase(c) && (agency === undefined || c.agency === agency) ? 'x' : undefined,
  ).get('x');
  return overallRow(cases, steps);
}

export async function processingTimesReport(
  store: StatsStore,
  def: ServiceDefinition,
  q: ProcessingTimesQuery,
): Promise<ProcessingTimesReport> {
  const groupBy = q.groupBy ?? 'step';
  // only the day and week trends need daily cells: everything else reads whole months as month
  // rollup cells (a one-year report: ~12 cells per step instead of ~365)
  const months = groupBy !== 'day' && groupBy !== 'week';
  const { from, to } = checkRange(
    q.from,
    q.to,
    groupBy === 'month' ? MAX_MONTHLY_REPORT_DAYS : MAX_REPORT_DAYS,
  );
  const cells = await store.readCells({ service: def.id, from, to, township: q.township, months });
  const report: ProcessingTimesReport = {
    service: def.id,
    from,
    to,
    unit: 'seconds',
    groupBy,
    filters: { agency: q.agency, township: q.township },
    steps: stepRows(def, cells, q.agency),
    overall: overallOf(cells, q.agency),
  };
  if (groupBy === 'agency') {
    const byAgency = groupCells(
      cells.filter((c) => !isCase(c) && (q.agency === undefined || c.agency === q.agency)),
      (c) => c.agency,
    );
    report.groups = [...byAgency.keys()]
      .sort()
      .map((agency) => ({ ...stepRow('*', byAgency.get(agency)), agency }));
  }
  if (groupBy === 'day' || groupBy === 'week' || groupBy === 'month') {
    const byPeriod = new Map<string, Cell[]>();
    for (const c of cells) {
      const period = groupBy === 'day' ? c.day : groupBy === 'month' ? c.day.slice(0, 7) : weekOf(c.day);
      byPeriod.set(period, [...(byPeriod.get(period) ?? []), c]);
    }
    report.groups = [...byPeriod.keys()]
      .sort()
      .map((period) => ({ ...withoutCases(overallOf(byPeriod.get(period) as Cell[], q.agency)), period }))
      .filter((row) => row.count > 0 || row.decided > 0);
  }
  if (groupBy === 'township') {
    const perTownship =
      q.township === undefined
        ? await store.readCells({ service: def.id, from, to, township: { all: true }, months })
        : cells;
    const byTownship = new Map<string, Cell[]>();
    for (const c of perTownship) {
      const township = q.township ?? c.township;
      byTownship.set(township, [...(byTownship.get(township) ?? []), c]);
    }
    report.groups = [...byTownship.keys()].sort().flatMap((township) => {
      const own = byTownship.get(township) as Cell[];
      return [
        ...stepRows(def, own, q.agency).map((r) => ({ ...r, township })),
        { ...withoutCases(overallOf(own, q.agency)), township },
      ];
    });
  }
  return report;
}

const withoutCases = ({ cases: _cases, ...row }: OverallRow): ProcessingTimeRow => row;

const SUMMARY_COLUMNS = (name: string) => [
  `${name}_count`,
  `${name}_p50_seconds`,
  `${name}_p90_seconds`,
  `${name}_p95_seconds`,
  `${name}_p99_seconds`,
];
const summaryCells = (s: DurationSummary): CsvValue[] => [s.count, s.p50, s.p90, s.p95, s.p99];

/** The original seven columns first (unchanged), the added figures after them. */
export const PROCESSING_TIMES_COLUMNS = [
  'step',
  'count',
  'p50_seconds',
  'p90_seconds',
  'p95_seconds',
  'p99_seconds',
  'within_sla_rate',
  'mean_seconds',
  ...SUMMARY_COLUMNS('wait'),
  ...SUMMARY_COLUMNS('work'),
  ...SUMMARY_COLUMNS('paused'),
  'decided',
  'approved',
  'rejects',
  'request_info',
  'first_time_right_rate',
  'sla_breaches',
  'agency',
  'township',
  'group_by',
  'period',
] as const;

export function processingTimesCsv(report: ProcessingTimesReport): string {
  const line = (r: ProcessingTimeRow, groupBy: string): CsvValue[] => [
    r.step,
    r.count,
    r.p50,
    r.p90,
    r.p95,
    r.p99,
    r.withinSlaRate,
    r.mean,
    ...summaryCells(r.wait),
    ...summaryCells(r.work),
    ...summaryCells(r.paused),
    r.decided,
    r.approved,
    r.rejects,
    r.requestInfo,
    r.firstTimeRightRate,
    r.slaBreaches,
    r.agency ?? report.filters.agency,
    r.township ?? report.filters.township,
    groupBy,
    r.period,
  ];
  return toCsv(PROCESSING_TIMES_COLUMNS, [
    ...report.steps.map((r) => line(r, '')),
    line(report.overall, ''),
    ...(report.groups ?? []).map((r) => line(r, report.groupBy)),
  ]);
}
