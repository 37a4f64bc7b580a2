/**
 * A table of processing-time figures: one row per step or period with its count, the chosen
 * percentiles and the within-deadline rate. The dashboard's per-step table and the trend's table
 * are this component.
 */
import type { ReactNode } from 'react';
import { useI18n } from '../i18n.tsx';
import type { TimingRow } from '../types.ts';
import type { Percentile } from './DurationChart.tsx';
import { formatDuration } from './duration.ts';
import { ScrollRegion } from './ScrollRegion.tsx';

export interface TimingTableRow {
  key: string;
  head: ReactNode;
  figures: Partial<TimingRow>;
  /** data attributes and class of the row, for styling and tests */
  attrs?: Record<string, string | undefined>;
}

const percent = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(rate === 1 ? 0 : 1)}%`;

export function TimingTable({
  label,
  caption,
  firstColumn,
  percentiles,
  rows,
}: {
  label: string;
  caption?: string;
  firstColumn: string;
  percentiles: readonly Percentile[];
  rows: TimingTableRow[];
}) {
  const { t } = useI18n();
  return (
    <ScrollRegion className="table-wrap" label={label}>
      <table className="table report-table">
        {caption ? <caption className="visually-hidden">{caption}</caption> : null}
        <thead>
          <tr>
            <th scope="col">{firstColumn}</th>
            <th scope="col" className="num">
              {t('report.count')}
            </th>
            {percentiles.map((p) => (
              <th key={p} scope="col" className="num">
                {p.toUpperCase()}
              </th>
            ))}
            <th scope="col" className="num">
              {t('report.withinSla')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} {...r.attrs}>
              <th scope="row">{r.head}</th>
              <td className="num">{r.figures.count ?? '—'}</td>
              {percentiles.map((p) => (
                <td key={p} className="num">
                  {r.figures.count ? formatDuration(r.figures[p], t) : '—'}
                </td>
              ))}
              <td className="num">{percent(r.figures.withinSlaRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
