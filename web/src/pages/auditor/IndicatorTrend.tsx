/**
 * One indicator's trend over the plan's years (Chart.js line) with its target as a dashed line.
 * The canvas is an image whose text alternative lists every year's value.
 */

import { useEffect, useRef } from 'react';
import { Chart } from '../../components/chart-setup.ts';
import { useI18n } from '../../i18n.tsx';
import { type Indicator, useFormat } from './indicator-view.tsx';

export function IndicatorTrend({ indicator }: { indicator: Indicator }) {
  const { t, tx, lang } = useI18n();
  const f = useFormat();
  const canvas = useRef<HTMLCanvasElement>(null);
  const summary = indicator.trend.map((p) => `${p.year}: ${f.value(p.value, indicator.unit)}`).join('; ');
  const label = `${tx(indicator.title)} — ${t('ind.trend')}（${t('ind.target')} ${f.target(indicator)}）：${summary}`;

  // biome-ignore lint/correctness/useExhaustiveDependencies: redraw when the figures or the language change
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'line',
      data: {
        labels: indicator.trend.map((p) => String(p.year)),
        datasets: [
          {
            label: t('ind.value'),
            data: indicator.trend.map((p) => p.value),
            borderColor: '#1d4ed8',
            backgroundColor: '#1d4ed8',
            spanGaps: false,
          },
          {
            label: t('ind.target'),
            data: indicator.trend.map(() => indicator.target.value),
            borderColor: '#b42318',
            borderDash: [6, 4],
            pointRadius: 0,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: 'bottom', labels: { color: '#1f2937' } } },
        scales: {
          x: { ticks: { color: '#1f2937' } },
          y: {
            beginAtZero: true,
            title: { display: true, text: f.unit(indicator.unit), color: '#1f2937' },
            ticks: { color: '#1f2937' },
            grid: { color: '#d1d5db' },
          },
        },
      },
    });
    return () => chart.destroy();
  }, [indicator, lang]);

  return (
    <div className="chart-box indicator-chart">
      <canvas ref={canvas} role="img" aria-label={label} lang={lang}>
        {summary}
      </canvas>
    </div>
  );
}
