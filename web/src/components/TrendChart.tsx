/**
 * Processing-time trend: P50 and P90 of whole cases per day or week (Chart.js line chart), with
 * the within-deadline rate. The canvas has a text alternative; the table under it (collapsed)
 * carries the same figures for assistive technology and copying.
 */
import { useMemo } from 'react';
import { useI18n } from '../i18n.tsx';
import type { TimingRow } from '../types.ts';
import { DurationChart } from './DurationChart.tsx';
import { TimingTable } from './TimingTable.tsx';

export type TrendRow = TimingRow & { period: string };

const SERIES = [
  { key: 'p50', color: '#1d4ed8' },
  { key: 'p90', color: '#b42318' },
] as const;

export function TrendChart({ rows, by }: { rows: TrendRow[]; by: 'day' | 'week' }) {
  const { t } = useI18n();
  const periodLabel = (p: string) => (by === 'week' ? t('trend.weekOf', { day: p }) : p);
  const points = useMemo(() => rows.map((r) => ({ ...r, label: r.period })), [rows]);

  return (
    <>
      <DurationChart type="line" title={t('trend.title')} points={points} series={SERIES} />
      <details className="trend-table">
        <summary>{t('trend.table')}</summary>
        <TimingTable
          label={t('trend.table')}
          firstColumn={t(by === 'week' ? 'trend.week' : 'trend.day')}
          percentiles={['p50', 'p90']}
          rows={rows.map((r) => ({
            key: r.period,
            head: periodLabel(r.period),
            figures: r,
            attrs: { 'data-period': r.period },
          }))}
        />
      </details>
    </>
  );
}
