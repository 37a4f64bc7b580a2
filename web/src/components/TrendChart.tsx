/**
 * Processing-time trend: P50 and P90 of whole cases per day or week (Chart.js line chart), with
 * the within-deadline rate. The canvas has a text alternative; the table under it (collapsed)
 * carries the same figures for assistive technology and copying.
 */
import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n.tsx';
import type { TimingRow } from '../types.ts';
import { chartUnit, formatDuration } from './duration.ts';
import { ScrollRegion } from './ScrollRegion.tsx';

Chart.register(LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

export type TrendRow = TimingRow & { period: string };

const SERIES = [
  { key: 'p50', color: '#1d4ed8' },
  { key: 'p90', color: '#b42318' },
] as const;

const percent = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(rate === 1 ? 0 : 1)}%`;

export function TrendChart({ rows, by }: { rows: TrendRow[]; by: 'day' | 'week' }) {
  const { t, lang } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [unit, div] = chartUnit(Math.max(...rows.map((r) => r.p90 ?? 0), 0));
  const unitText = t(`unit.${unit}`);
  const periodLabel = (p: string) => (by === 'week' ? t('trend.weekOf', { day: p }) : p);
  const summary = rows
    .map(
      (r) =>
        `${periodLabel(r.period)}: P50 ${(r.p50 / div).toFixed(1)}, P90 ${(r.p90 / div).toFixed(1)} ${unitText}`,
    )
    .join('; ');

  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'line',
      data: {
        labels: rows.map((r) => r.period),
        datasets: SERIES.map((s) => ({
          label: s.key.toUpperCase(),
          data: rows.map((r) => Number(((r[s.key] ?? 0) / div).toFixed(2))),
          borderColor: s.color,
          backgroundColor: s.color,
          tension: 0.2,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: 'bottom', labels: { color: '#1f2937' } } },
        scales: {
          x: { ticks: { color: '#1f2937', maxRotation: 45 } },
          y: {
            beginAtZero: true,
            title: { display: true, text: unitText, color: '#1f2937' },
            ticks: { color: '#1f2937' },
            grid: { color: '#d1d5db' },
          },
        },
      },
    });
    return () => chart.destroy();
  }, [rows, div, unitText]);

  return (
    <>
      <div className="chart-box">
        <canvas
          ref={canvas}
          role="img"
          aria-label={`${t('trend.title')}（${unitText}）：${summary}`}
          lang={lang}
        >
          {summary}
        </canvas>
      </div>
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
