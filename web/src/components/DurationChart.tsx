/**
 * A Chart.js chart of durations on a canvas (bars per step, or lines over time): the canvas is an
 * image whose text alternative lists every figure; a table next to it carries the same figures
 * for assistive technology. Both percentile charts of the dashboard are this component.
 */

import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n.tsx';
import { Chart } from './chart-setup.ts';
import { chartUnit } from './duration.ts';

export type Percentile = 'p50' | 'p90' | 'p95' | 'p99';

export interface DurationChartProps {
  type: 'bar' | 'line';
  /** the chart's name, first words of the text alternative */
  title: string;
  /** one label per point (a step, a day) and its figures in seconds */
  points: Array<{ label: string } & Record<Percentile, number>>;
  series: ReadonlyArray<{ key: Percentile; color: string }>;
}

export function DurationChart({ type, title, points, series }: DurationChartProps) {
  const { t, lang } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [unit, div] = chartUnit(Math.max(...points.flatMap((p) => series.map((s) => p[s.key] ?? 0)), 0));
  const unitText = t(`unit.${unit}`);
  const summary = points
    .map(
      (p) =>
        `${p.label}: ${series.map((s) => `${s.key.toUpperCase()} ${(p[s.key] / div).toFixed(1)}`).join(', ')} ${unitText}`,
    )
    .join('; ');

  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type,
      data: {
        labels: points.map((p) => p.label),
        datasets: series.map((s) => ({
          label: s.key.toUpperCase(),
          data: points.map((p) => Number(((p[s.key] ?? 0) / div).toFixed(2))),
          backgroundColor: s.color,
          borderColor: s.color,
          ...(type === 'line' ? { tension: 0.2 } : {}),
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: 'bottom', labels: { color: '#1f2937' } } },
        scales: {
          x: { ticks: { color: '#1f2937', autoSkip: type === 'line', maxRotation: 45 } },
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
  }, [type, points, series, div, unitText]);

  return (
    <div className="chart-box">
      <canvas ref={canvas} role="img" aria-label={`${title}（${unitText}）：${summary}`} lang={lang}>
        {summary}
      </canvas>
    </div>
  );
}
