/**
 * Grouped bar chart of p50/p90/p95/p99 per step. The table above it on the dashboard carries the
 * same figures for assistive technology.
 */
import { useMemo } from 'react';
import { useI18n } from '../i18n.tsx';
import type { TimingRow } from '../types.ts';
import { DurationChart } from './DurationChart.tsx';

const SERIES = [
  { key: 'p50', color: '#1d4ed8' },
  { key: 'p90', color: '#047857' },
  { key: 'p95', color: '#a15c00' },
  { key: 'p99', color: '#b42318' },
] as const;

export function PercentileChart({ rows, label }: { rows: TimingRow[]; label(step: string): string }) {
  const { t } = useI18n();
  const points = useMemo(() => rows.map((r) => ({ ...r, label: label(r.step) })), [rows, label]);
  return <DurationChart type="bar" title={t('report.chartTitle')} points={points} series={SERIES} />;
}
