/** Shared pieces of the indicator board and the yearly report: formatting, the traffic light. */
import { type StringKey, useI18n } from '../../i18n.tsx';
import type { Schemas } from '../../types.ts';

export type Indicator = Schemas['IndicatorResult'];
export type Assessment = Indicator['assessment'];

const LIGHT: Record<Assessment, { badge: string; key: StringKey; mark: string }> = {
  met: { badge: 'green', key: 'ind.met', mark: '●' },
  near: { badge: 'amber', key: 'ind.near', mark: '▲' },
  behind: { badge: 'red', key: 'ind.behind', mark: '■' },
  'no-data': { badge: 'grey', key: 'ind.noData', mark: '○' },
};

/** The traffic light as a badge: colour, shape and words (never colour alone). */
export function Light({ assessment }: { assessment: Assessment }) {
  const { t } = useI18n();
  const l = LIGHT[assessment];
  return (
    <span className={`badge ${l.badge}`} data-assessment={assessment}>
      <span aria-hidden="true">{l.mark} </span>
      {t(l.key)}
    </span>
  );
}

export function useFormat() {
  const { t } = useI18n();
  const unit = (u: Indicator['unit']) => t(u === 'percent' ? 'ind.unit.percent' : 'ind.unit.per1000');
  const value = (v: number | null | undefined, u: Indicator['unit']) =>
    v === null || v === undefined ? t('ind.noData') : `${v}${u === 'percent' ? '%' : ` ${unit(u)}`}`;
  const target = (i: Indicator) =>
    `${i.target.comparator.replace('>=', '≥').replace('<=', '≤')} ${value(i.target.value, i.unit)}`;
  const fraction = (n: number, d: number | null) => `${n} / ${d ?? '—'}`;
  return { unit, value, target, fraction };
}

/** Years offered: the plan's years up to this one (China time). */
export function planYears(): number[] {
  const now = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
  const out: number[] = [];
  for (let y = 2021; y <= Math.max(2025, now); y++) out.push(y);
  return out;
}

export const thisYear = () => new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
