/**
 * Grouped bar chart of p50/p90/p95/p99 per step (Chart.js on a canvas). The canvas is an image
 * with a text alternative; the table above it carries the same figures for assistive technology.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n.tsx';
import type { TimingRow } from '../types.ts';
import { chartUnit } from './duration.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const SERIES = [
  { key: 'p50', color: '#1d4ed8' },
  { key: 'p90', color: '#047857' },
  { key: 'p95', color: '#a15c00' },
  { key: 'p99', color: '#b42318' },
] as const;

export function PercentileChart({ rows, label }: { rows: TimingRow[]; label(step: string): string }) {
  const { t, lang } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [unit, div] = chartUnit(Math.max(...rows.map((r) => r.p99 ?? 0), 0));
  const unitText = t(`unit.${unit}`);
  const summary = rows
    .map(
      (r) =>
        `${label(r.step)}: P50 ${(r.p50 / div).toFixed(1)}, P90 ${(r.p90 / div).toFixed(1)}, P95 ${(r.p95 / div).toFixed(1)}, P99 ${(r.p99 / div).toFixed(1)} ${unitText}`,
    )
    .join('; ');

  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: rows.map((r) => label(r.step)),
        datasets: SERIES.map((s) => ({
          label: s.key.toUpperCase(),
          data: rows.map((r) => Number(((r[s.key] ?? 0) / div).toFixed(2))),
          backgroundColor: s.color,
          borderColor: s.color,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: 'bottom', labels: { color: '#1f2937' } } },
        scales: {
          x: { ticks: { color: '#1f2937', autoSkip: false, maxRotation: 45 } },
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
  }, [rows, label, div, unitText]);

  return (
    <div className="chart-box">
      <canvas
        ref={canvas}
        role="img"
        aria-label={`${t('report.chartTitle')}（${unitText}）：${summary}`}
        lang={lang}
      >
        {summary}
      </canvas>
    </div>
  );
}
