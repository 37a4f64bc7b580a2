/**
 * Processing-time trend: P50 and P90 of whole cases per day or week (Chart.js line chart), with
 * the within-deadline rate. The canvas has a text alternative; the table under it (collapsed)
 * carries the same figures for assistive technology and copying.
 */
import { useMemo } from 'react';
import { useI18n } from '../i18n.tsx';
import type { TimingRow } from '../types.ts';
import { DurationChart } from './DurationChart.tsx';
import { formatDuration } from './duration.ts';
import { ScrollRegion } from './ScrollRegion.tsx';

export type TrendRow = TimingRow & { period: string };

const SERIES = [
  { key: 'p50', color: '#1d4ed8' },
  { key: 'p90', color: '#b42318' },
] as const;

const percent = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(rate === 1 ? 0 : 1)}%`;

export function TrendChart({ rows, by }: { rows: TrendRow[]; by: 'day' | 'week' }) {
  const { t } = useI18n();
  const periodLabel = (p: string) => (by === 'week' ? t('trend.weekOf', { day: p }) : p);
  const points = useMemo(() => rows.map((r) => ({ ...r, label: r.period })), [rows]);

  return (
    <>
      <DurationChart type="line" title={t('trend.title')} points={points} series={SERIES} />
      <details className="trend-table">
        <summary>{t('trend.table')}</summary>
        <ScrollRegion className="table-wrap" label={t('trend.table')}>
          <table className="table report-table">
            <thead>
              <tr>
                <th scope="col">{t(by === 'week' ? 'trend.week' : 'trend.day')}</th>
                <th scope="col" className="num">
                  {t('report.count')}
                </th>
                <th scope="col" className="num">
                  P50
                </th>
                <th scope="col" className="num">
                  P90
                </th>
                <th scope="col" className="num">
                  {t('report.withinSla')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.period} data-period={r.period}>
                  <th scope="row">{periodLabel(r.period)}</th>
                  <td className="num">{r.count}</td>
                  <td className="num">{formatDuration(r.p50, t)}</td>
                  <td className="num">{formatDuration(r.p90, t)}</td>
                  <td className="num">{percent(r.withinSlaRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </details>
    </>
  );
}
