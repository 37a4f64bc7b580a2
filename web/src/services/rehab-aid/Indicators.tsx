/**
 * The plan's rehab-aid indicator for the auditor: coverage this year, distinct children aided ÷
 * children eligible (issue 17; the indicator board has the trend and the 0–6 share).
 */
import { useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { chinaDate } from '../../dates.ts';
import { useI18n } from '../../i18n.tsx';

interface Coverage {
  value: number | null;
  figures: { numerator: number; denominator: number | null };
}

export function RehabIndicators() {
  const { t } = useI18n();
  const [coverage, setCoverage] = useState<Coverage | undefined>(undefined);
  useEffect(() => {
    api<{ indicators?: Array<Coverage & { id: string }> }>(
      `/reports/indicators?year=${chinaDate(0).slice(0, 4)}`,
    ).then(
      (r) => setCoverage(r.indicators?.find((i) => i.id === 'rehab-coverage')),
      () => setCoverage(undefined),
    );
  }, []);
  const text = coverage
    ? `${coverage.value === null ? '—' : `${coverage.value}%`}（${coverage.figures.numerator} / ${coverage.figures.denominator ?? '—'}）`
    : '—';
  return (
    <>
      <dt>{t('plan.rehab')}</dt>
      <dd data-testid="plan-rehab">{text}</dd>
    </>
  );
}
