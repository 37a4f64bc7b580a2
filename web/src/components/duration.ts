/** Durations for people: in words for tables, and the unit a chart's axis uses. */
import type { I18n } from '../i18n.tsx';

export function formatDuration(seconds: number | undefined, t: I18n['t']): string {
  if (seconds === undefined || seconds === null || Number.isNaN(seconds)) return '—';
  if (seconds < 60) return t('dur.seconds', { n: Math.round(seconds) });
  if (seconds < 3600) return t('dur.minutes', { n: (seconds / 60).toFixed(seconds < 600 ? 1 : 0) });
  if (seconds < 86_400 * 2) return t('dur.hours', { n: (seconds / 3600).toFixed(1) });
  return t('dur.days', { n: (seconds / 86_400).toFixed(1) });
}

/** The chart unit for durations up to `max` seconds, and its divisor. */
export function chartUnit(max: number) {
  return max < 120
    ? (['s', 1] as const)
    : max < 7200
      ? (['min', 60] as const)
      : max < 172_800
        ? (['h', 3600] as const)
        : (['d', 86_400] as const);
}
