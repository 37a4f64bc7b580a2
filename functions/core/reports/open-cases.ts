/**
 * Open cases by age, as of now: applications not yet settled, bucketed by calendar days since
 * submission, split by status (in progress / waiting for the parent) and counted overdue when
 * past their due time; and the open tasks of each step, bucketed by days since the step opened.
 * Read live from the status index (open cases are few), reduced to counts: nothing per case
 * leaves this module.
 */
import type { OpenCase, OpenCasesSource } from '../analytics/ports.ts';
import type { ServiceDefinition } from '../engine/types.ts';
import { stepOrder } from './aggregate.ts';
import { type CsvValue, toCsv } from './csv.ts';

/** Age buckets in days: [0,1), [1,2), [2,3), [3,5), [5,10), [10,30), [30,∞). */
export const AGE_BUCKETS = [
  { label: '0-1d', minDays: 0, maxDays: 1 },
  { label: '1-2d', minDays: 1, maxDays: 2 },
  { label: '2-3d', minDays: 2, maxDays: 3 },
  { label: '3-5d', minDays: 3, maxDays: 5 },
  { label: '5-10d', minDays: 5, maxDays: 10 },
  { label: '10-30d', minDays: 10, maxDays: 30 },
  { label: '30d+', minDays: 30, maxDays: null },
] as const;

export interface AgeRow {
  /** `case` rows: by status; `step` rows: per step; `township` rows: cases per township */
  kind: 'case' | 'step' | 'township';
  key: string;
  agency?: string | undefined;
  open: number;
  overdue: number;
  /** counts per AGE_BUCKETS entry, same order */
  byAge: number[];
}

export interface OpenCasesReport {
  service: string;
  asOf: string;
  filters: { township?: string | undefined };
  buckets: typeof AGE_BUCKETS;
  total: number;
  overdue: number;
  cases: AgeRow[];
  steps: AgeRow[];
  townships?: AgeRow[];
}

const ACTIVE_STEP = new Set(['open', 'claimed', 'info-requested']);

function bucketOf(ageDays: number): number {
  const i = AGE_BUCKETS.findIndex((b) => b.maxDays === null || ageDays < b.maxDays);
  return i < 0 ? AGE_BUCKETS.length - 1 : i;
}

class Rows {
  private readonly rows = new Map<string, AgeRow>();
  constructor(private readonly kind: AgeRow['kind']) {}
  add(key: string, since: string | undefined, dueAt: string | undefined, now: number, agency?: string) {
    let row = this.rows.get(key);
    if (!row) {
      row = { kind: this.kind, key, agency, open: 0, overdue: 0, byAge: AGE_BUCKETS.map(() => 0) };
      this.rows.set(key, row);
    }
    row.open++;
    if (dueAt && Date.parse(dueAt) < now) row.overdue++;
    const age = since ? Math.max(0, (now - Date.parse(since)) / 86_400_000) : 0;
    const i = bucketOf(Number.isFinite(age) ? age : 0);
    row.byAge[i] = (row.byAge[i] ?? 0) + 1;
  }
  get(key: string) {
    return this.rows.get(key);
  }
  keys() {
    return [...this.rows.keys()];
  }
  values() {
    return [...this.rows.values()];
  }
}

export async function openCasesReport(
  source: OpenCasesSource,
  def: ServiceDefinition,
  q: { township?: string | undefined; groupBy?: 'township' | undefined },
  now: Date,
): Promise<OpenCasesReport> {
  const humanSteps = def.order.filter((s) => def.steps[s]?.kind !== 'auto');
  const all: OpenCase[] = await source.openCases(def.id, humanSteps);
  const open = all.filter((c) => q.township === undefined || c.township === q.township);
  const t = now.getTime();
  const cases = new Rows('case');
  const steps = new Rows('step');
  const townships = new Rows('township');
  for (const c of open) {
    cases.add(c.status, c.createdAt, c.dueAt, t);
    townships.add(c.township ?? '-', c.createdAt, c.dueAt, t);
    for (const s of c.steps) {
      if (ACTIVE_STEP.has(s.status)) steps.add(s.step, s.openedAt, s.dueAt, t, s.agency);
    }
  }
  const caseRows = cases.values().sort((a, b) => a.key.localeCompare(b.key));
  const report: OpenCasesReport = {
    service: def.id,
    asOf: now.toISOString(),
    filters: { township: q.township },
    buckets: AGE_BUCKETS,
    total: open.length,
    overdue: caseRows.reduce((n, r) => n + r.overdue, 0),
    cases: caseRows,
    steps: stepOrder(def, steps.keys()).map((s) => steps.get(s) as AgeRow),
  };
  if (q.groupBy === 'township')
    report.townships = townships.values().sort((a, b) => a.key.localeCompare(b.key));
  return report;
}

export function openCasesCsv(r: OpenCasesReport): string {
  const columns = ['row', 'key', 'agency', 'open', 'overdue', ...AGE_BUCKETS.map((b) => `age_${b.label}`)];
  const line = (row: AgeRow): CsvValue[] => [
    row.kind,
    row.key,
    row.agency,
    row.open,
    row.overdue,
    ...row.byAge,
  ];
  const total: AgeRow = {
    kind: 'case',
    key: 'total',
    open: r.total,
    overdue: r.overdue,
    byAge: AGE_BUCKETS.map((_, i) => r.cases.reduce((n, c) => n + (c.byAge[i] ?? 0), 0)),
  };
  return toCsv(columns, [...r.cases, total, ...r.steps, ...(r.townships ?? [])].map(line));
}
