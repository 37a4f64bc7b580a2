/**
 * Throughput per day: cases submitted and settled (by outcome), withdrawals, decisions per step
 * and requests for information, for every day of the period (days without activity are zeros).
 * Counters only; aggregates only.
 */
import type { StatsStore } from '../analytics/ports.ts';
import type { ServiceDefinition } from '../engine/types.ts';
import { count, groupCells, isCase, stepOrder } from './aggregate.ts';
import { type CsvValue, toCsv } from './csv.ts';
import { checkRange, eachDay } from './range.ts';

export interface ThroughputDay {
  day: string;
  submitted: number;
  settled: number;
  completed: number;
  partiallyCompleted: number;
  rejected: number;
  withdrawn: number;
  decisions: number;
  infoRequests: number;
  /** decisions per step that day */
  byStep: Record<string, number>;
}

export interface ThroughputReport {
  service: string;
  from: string;
  to: string;
  filters: { township?: string | undefined };
  steps: string[];
  days: ThroughputDay[];
  totals: Omit<ThroughputDay, 'day'>;
}

export async function throughputReport(
  store: StatsStore,
  def: ServiceDefinition,
  q: { from: string; to: string; township?: string | undefined },
): Promise<ThroughputReport> {
  const range = checkRange(q.from, q.to);
  const cells = await store.readCells({
    service: def.id,
    ...range,
    township: q.township,
    countersOnly: true,
  });
  const cases = groupCells(cells.filter(isCase), (c) => c.day);
  const steps = groupCells(
    cells.filter((c) => !isCase(c)),
    (c) => c.day,
  );
  const perStep = groupCells(
    cells.filter((c) => !isCase(c)),
    (c) => `${c.day}|${c.step}`,
  );
  const stepNames = stepOrder(
    def,
    cells.filter((c) => !isCase(c) && (c.stats.counters.decided ?? 0) > 0).map((c) => c.step),
  );
  const days = eachDay(range).map((day): ThroughputDay => {
    const c = cases.get(day);
    const s = steps.get(day);
    return {
      day,
      submitted: count(c, 'submitted'),
      settled: count(c, 'settled'),
      completed: count(c, 'completed'),
      partiallyCompleted: count(c, 'partial'),
      rejected: count(c, 'casesRejected'),
      withdrawn: count(c, 'withdrawn'),
      decisions: count(s, 'decided'),
      infoRequests: count(s, 'infoRequests'),
      byStep: Object.fromEntries(
        stepNames.map((step) => [step, count(perStep.get(`${day}|${step}`), 'decided')]),
      ),
    };
  });
  const totals: Omit<ThroughputDay, 'day'> = {
    submitted: 0,
    settled: 0,
    completed: 0,
    partiallyCompleted: 0,
    rejected: 0,
    withdrawn: 0,
    decisions: 0,
    infoRequests: 0,
    byStep: Object.fromEntries(stepNames.map((s) => [s, 0])),
  };
  for (const d of days) {
    for (const k of [
      'submitted',
      'settled',
      'completed',
      'partiallyCompleted',
      'rejected',
      'withdrawn',
      'decisions',
      'infoRequests',
    ] as const) {
      totals[k] += d[k];
    }
    for (const s of stepNames) totals.byStep[s] = (totals.byStep[s] ?? 0) + (d.byStep[s] ?? 0);
  }
  return { service: def.id, ...range, filters: { township: q.township }, steps: stepNames, days, totals };
}

export function throughputCsv(r: ThroughputReport): string {
  const columns = [
    'day',
    'submitted',
    'settled',
    'completed',
    'partially_completed',
    'rejected',
    'withdrawn',
    'decisions',
    'info_requests',
    ...r.steps.map((s) => `decisions_${s}`),
  ];
  const line = (day: string, d: Omit<ThroughputDay, 'day'>): CsvValue[] => [
    day,
    d.submitted,
    d.settled,
    d.completed,
    d.partiallyCompleted,
    d.rejected,
    d.withdrawn,
    d.decisions,
    d.infoRequests,
    ...r.steps.map((s) => d.byStep[s] ?? 0),
  ];
  return toCsv(columns, [...r.days.map((d) => line(d.day, d)), line('total', r.totals)]);
}
