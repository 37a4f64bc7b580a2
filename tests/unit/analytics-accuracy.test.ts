import { beforeAll, describe, expect, it } from 'vitest';
import { contributionsOf } from '#core/analytics/consumer';
import { exactQuantile, RELATIVE_ACCURACY } from '#core/analytics/sketch';
import { type CaseTruth, syntheticCases } from '#core/analytics/synthetic';
import { townships } from '#core/reference/leqing';
import {
  type DurationSummary,
  type ProcessingTimesReport,
  processingTimesReport,
} from '#core/reports/processing-times';
import { birthRegistration } from '#services/birth-registration/definition';
import { MemoryStatsStore } from '../support/memory-stats-store.ts';

const CASES = 100_000;
const METRICS = ['total', 'wait', 'work', 'paused'] as const;
type Metric = (typeof METRICS)[number];
const QS = [
  ['p50', 0.5],
  ['p90', 0.9],
  ['p95', 0.95],
  ['p99', 0.99],
] as const;

const STEPS = birthRegistration.order.filter((s) => birthRegistration.steps[s]?.kind === 'human');
const TOWNSHIPS = townships.slice(0, 6).map((t) => t.id);

/** The exact durations of every case, column-wise (typed arrays keep 2.4M samples cheap). */
class Truth {
  cases = 0;
  readonly township = new Uint8Array(CASES);
  readonly caseTotal = new Float64Array(CASES);
  readonly step = Object.fromEntries(
    STEPS.map((s) => [s, Object.fromEntries(METRICS.map((m) => [m, new Float64Array(CASES)]))]),
  ) as Record<string, Record<Metric, Float64Array>>;
  add(c: CaseTruth) {
    const i = this.cases++;
    this.township[i] = TOWNSHIPS.indexOf(c.township);
    this.caseTotal[i] = c.totalSeconds;
    for (const s of c.steps) {
      for (const m of METRICS) (this.step[s.step] as Record<Metric, Float64Array>)[m][i] = s[`${m}Seconds`];
    }
  }
  /** sorted samples of a step (or 'overall' for whole cases, 'overall-steps' for all steps) */
  sorted(township: string, step: string, metric: Metric): number[] {
    const tw = TOWNSHIPS.indexOf(township);
    const cols =
      step === 'overall'
        ? [this.caseTotal]
        : step === 'overall-steps'
          ? STEPS.map((s) => (this.step[s] as Record<Metric, Float64Array>)[metric])
          : [(this.step[step] as Record<Metric, Float64Array>)[metric]];
    const out: number[] = [];
    for (const col of cols) {
      for (let i = 0; i < this.cases; i++)
        if (township === '*' || this.township[i] === tw) out.push(col[i] as number);
    }
    return Array.from(Float64Array.from(out).sort());
  }
}

let report: ProcessingTimesReport;
let byTownship: ProcessingTimesReport;
const truth = new Truth();
const stepTruth: Record<string, { decided: number; rejects: number; info: number; withinSla: number }> = {};
let eventsFed = 0;
let elapsedMs = 0;
let cpuMs = 0;

/** Every percentile of a summary against the exact value by sorting: relative error ≤ 1%. */
function checkSummary(label: string, got: DurationSummary, exact: number[]) {
  expect(got.count, `${label} count`).toBe(exact.length);
  let worst = 0;
  for (const [name, q] of QS) {
    const want = exactQuantile(exact, q);
    const err = want === 0 ? Math.abs(got[name]) : Math.abs(got[name] - want) / want;
    worst = Math.max(worst, err);
    expect(err, `${label} ${name}: got ${got[name]}, exact ${want}`).toBeLessThanOrEqual(
      RELATIVE_ACCURACY + 1e-12,
    );
  }
  return worst;
}

beforeAll(async () => {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const store = new MemoryStatsStore();
  const gen = syntheticCases(birthRegistration, {
    cases: CASES,
    seed: 20251127,
    townships: TOWNSHIPS,
    // opened/claimed events change no figure (see analytics-projection.test.ts); leaving them out
    // keeps this test fast
    allEvents: false,
  });
  for (const { events, truth: c } of gen) {
    eventsFed += events.length;
    store.applySync(contributionsOf(events));
    truth.add(c);
    for (const s of c.steps) {
      stepTruth[s.step] ??= { decided: 0, rejects: 0, info: 0, withinSla: 0 };
      const t = stepTruth[s.step]!;
      t.decided++;
      if (s.rejected) t.rejects++;
      if (s.infoRequested) t.info++;
      if (s.withinSla) t.withinSla++;
    }
  }
  const q = { from: '2025-01-01', to: '2026-12-31' };
  report = await processingTimesReport(store, birthRegistration, q);
  byTownship = await processingTimesReport(store, birthRegistration, { ...q, groupBy: 'township' });
  elapsedMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  cpuMs = (used.user + used.system) / 1000;
}, 120_000);

describe('analytics accuracy: 100,000 synthetic cases through the metrics projection', () => {
  it('feeds at least 100,000 completed cases and every one is counted once', () => {
    expect(truth.cases).toBeGreaterThanOrEqual(100_000);
    expect(report.overall.count).toBe(CASES);
    expect(report.overall.cases.settled).toBe(CASES);
    expect(report.overall.cases.submitted).toBe(CASES);
    console.info(
      `fed ${eventsFed} events of ${CASES} cases; projection + 2 reports in ${elapsedMs.toFixed(0)} ms (${cpuMs.toFixed(0)} ms CPU)`,
    );
  });

  it('reports every step percentile (total, wait, work, paused) within 1% of the exact sorted value', () => {
    let worst = 0;
    expect(report.steps.map((r) => r.step)).toEqual(STEPS);
    for (const row of report.steps) {
      worst = Math.max(worst, checkSummary(`${row.step} total`, row, truth.sorted('*', row.step, 'total')));
      for (const m of ['wait', 'work', 'paused'] as const) {
        worst = Math.max(worst, checkSummary(`${row.step} ${m}`, row[m], truth.sorted('*', row.step, m)));
      }
    }
    console.info(`worst relative error over step percentiles: ${(worst * 100).toFixed(4)}%`);
  });

  it('reports the overall (whole-case) percentiles and the merged step figures within 1%', () => {
    checkSummary('overall total', report.overall, truth.sorted('*', 'overall', 'total'));
    for (const m of ['wait', 'work', 'paused'] as const) {
      checkSummary(`overall ${m}`, report.overall[m], truth.sorted('*', 'overall-steps', m));
    }
  });

  it('reports every township × step percentile within 1% when grouped by township', () => {
    const groups = byTownship.groups ?? [];
    expect(new Set(groups.map((g) => g.township)).size).toBe(TOWNSHIPS.length);
    let checked = 0;
    for (const row of groups) {
      const key = row.step === 'overall' ? 'overall' : row.step;
      checkSummary(`${row.township} ${key} total`, row, truth.sorted(row.township as string, key, 'total'));
      if (row.step !== 'overall') {
        for (const m of ['wait', 'work', 'paused'] as const) {
          checkSummary(`${row.township} ${key} ${m}`, row[m], truth.sorted(row.township as string, key, m));
        }
      }
      checked++;
    }
    expect(checked).toBe(TOWNSHIPS.length * 7);
  });

  it('counts decisions, rejects, requests for information, first-time-right and SLA exactly', () => {
    for (const row of report.steps) {
      const t = stepTruth[row.step]!;
      expect(row.decided).toBe(t.decided);
      expect(row.rejects).toBe(t.rejects);
      expect(row.approved).toBe(t.decided - t.rejects);
      expect(row.requestInfo).toBe(t.info);
      expect(row.firstTimeRightRate).toBeCloseTo((t.decided - t.info) / t.decided, 12);
      expect(row.withinSlaRate).toBeCloseTo(t.withinSla / t.decided, 12);
    }
  });

  it('keeps the time budget: projection of all events and both reports under 30 s of CPU', () => {
    // CPU time, not wall time: the budget must hold on a busy CI machine too
    expect(cpuMs).toBeLessThan(30_000);
  });
});
