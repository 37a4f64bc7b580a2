/**
 * A Chart.js chart of counts (cases, decisions, breaches) on a canvas: bars per label (stacked
 * or side by side) or lines over days. The canvas is an image whose text alternative lists
 * every figure; the page shows the same figures in a table next to it.
 */

import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n.tsx';
import { Chart } from './chart-setup.ts';

export interface CountSeries {
  label: string;
  color: string;
  data: number[];
}

export interface CountChartProps {
  type: 'bar' | 'line';
  /** the chart's name, first words of the text alternative */
  title: string;
  /** the y axis' unit ("件", "cases") */
  unit: string;
  labels: string[];
  series: CountSeries[];
  stacked?: boolean;
  testId?: string;
}

export function CountChart({ type, title, unit, labels, series, stacked = false, testId }: CountChartProps) {
  const { lang } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const summary = labels
    .map((l, i) => `${l}: ${series.map((s) => `${s.label} ${s.data[i] ?? 0}`).join(', ')}`)
    .join('; ');

  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type,
      data: {
        labels,
        datasets: series.map((s) => ({
          label: s.label,
          data: s.data,
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
          x: { stacked, ticks: { color: '#1f2937', autoSkip: type === 'line', maxRotation: 45 } },
          y: {
            stacked,
            beginAtZero: true,
            title: { display: true, text: unit, color: '#1f2937' },
            ticks: { color: '#1f2937', precision: 0 },
            grid: { color: '#d1d5db' },
          },
        },
      },
    });
    return () => chart.destroy();
  }, [type, labels, series, stacked, unit]);

  return (
    <div className="chart-box">
      <canvas
        ref={canvas}
        role="img"
        aria-label={`${title}（${unit}）：${summary}`}
        lang={lang}
        data-testid={testId}
      >
        {summary}
      </canvas>
    </div>
  );
}
