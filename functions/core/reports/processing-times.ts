/**
 * Processing-time figures per step and overall: count, p50/p90/p95/p99 (seconds, nearest rank)
 * and the within-SLA rate, computed from settled applications.
 */
import type { Application } from '../engine/types.ts';

export interface TimingRow {
  step: string;
  count: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  withinSlaRate: number | null;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

export function summarize(
  step: string,
  samples: Array<{ seconds: number; withinSla: boolean | undefined }>,
): TimingRow {
  const sorted = samples.map((s) => s.seconds).sort((a, b) => a - b);
  const slaKnown = samples.filter((s) => s.withinSla !== undefined);
  return {
    step,
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    withinSlaRate: slaKnown.length ? slaKnown.filter((s) => s.withinSla).length / slaKnown.length : null,
  };
}

/** Rows for every human step (by decision time) and `overall` (submission → settled). */
export function processingTimes(apps: Application[], order: string[]): TimingRow[] {
  const perStep = new Map<string, Array<{ seconds: number; withinSla: boolean | undefined }>>();
  const overall: Array<{ seconds: number; withinSla: boolean | undefined }> = [];
  for (const app of apps) {
    for (const s of Object.values(app.steps)) {
      if (s.kind === 'auto' || !s.openedAt || !s.decidedAt) continue;
      const seconds = (Date.parse(s.decidedAt) - Date.parse(s.openedAt)) / 1000;
      const list = perStep.get(s.step) ?? [];
      list.push({ seconds, withinSla: s.dueAt ? s.decidedAt <= s.dueAt : undefined });
      perStep.set(s.step, list);
    }
    if (app.completedAt) {
      overall.push({
        seconds: (Date.parse(app.completedAt) - Date.parse(app.createdAt)) / 1000,
        withinSla: app.dueAt ? app.completedAt <= app.dueAt : undefined,
      });
    }
  }
  const rows = order.filter((s) => perStep.has(s)).map((s) => summarize(s, perStep.get(s) ?? []));
  rows.push(summarize('overall', overall));
  return rows;
}

export function toCsv(rows: TimingRow[]): string {
  const head = 'step,count,p50_seconds,p90_seconds,p95_seconds,p99_seconds,within_sla_rate';
  return (
    [
      head,
      ...rows.map((r) => [r.step, r.count, r.p50, r.p90, r.p95, r.p99, r.withinSlaRate ?? ''].join(',')),
    ].join('\n') + '\n'
  );
}
