/** The plan's rehab-aid indicator for the auditor: aid cases completed this year. */
import { useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { chinaDate } from '../../dates.ts';
import { useI18n } from '../../i18n.tsx';

export function RehabIndicators() {
  const { t } = useI18n();
  const [completed, setCompleted] = useState<number | undefined>(undefined);
  useEffect(() => {
    const year = chinaDate(0).slice(0, 4);
    api<{ totals?: { completed?: number } }>(
      `/reports/throughput?service=rehab-aid&from=${year}-01-01&to=${chinaDate(0)}`,
    ).then(
      (r) => setCompleted(r.totals?.completed),
      () => setCompleted(undefined),
    );
  }, []);
  return (
    <>
      <dt>{t('plan.rehab')}</dt>
      <dd data-testid="plan-rehab">{completed === undefined ? '—' : String(completed)}</dd>
    </>
  );
}
