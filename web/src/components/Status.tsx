/** Status badges: colour plus text (never colour alone). */
import { useI18n } from '../i18n.tsx';
import { appStatusLabel, type StatusLabel, stepStatusLabel } from '../status.ts';
import type { AppStatus, StepStatus } from '../types.ts';

function Badge({ label }: { label: StatusLabel }) {
  const { tx } = useI18n();
  return <span className={`badge ${label.tone}`}>{tx(label)}</span>;
}

export function StepBadge({ status }: { status: StepStatus }) {
  return <Badge label={stepStatusLabel(status)} />;
}

export function AppBadge({ status }: { status: AppStatus }) {
  return <Badge label={appStatusLabel(status)} />;
}

export type SlaState = 'on-time' | 'warning' | 'breached' | 'none';

/** On time; warning past 80% of the time from openedAt to dueAt; breached past dueAt. */
export function slaState(
  item: { openedAt?: string; dueAt?: string; warned?: boolean; breached?: boolean },
  now = Date.now(),
): SlaState {
  if (!item.dueAt) return 'none';
  const due = Date.parse(item.dueAt);
  if (item.breached || now > due) return 'breached';
  const opened = item.openedAt ? Date.parse(item.openedAt) : Number.NaN;
  if (item.warned || (!Number.isNaN(opened) && now > opened + 0.8 * (due - opened))) return 'warning';
  return 'on-time';
}

export function SlaBadge({ state }: { state: SlaState }) {
  const { t } = useI18n();
  if (state === 'none') return <span className="badge grey">{t('sla.none')}</span>;
  const tone = state === 'breached' ? 'red' : state === 'warning' ? 'amber' : 'green';
  const icon = state === 'breached' ? '●' : state === 'warning' ? '▲' : '✓';
  return (
    <span className={`badge ${tone}`}>
      <span aria-hidden="true">{icon} </span>
      {t(`sla.${state}`)}
    </span>
  );
}
