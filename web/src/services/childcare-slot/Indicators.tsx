/** The plan's childcare indicators for the auditor: places per 1,000 residents (target 4.5), shortfall. */
import { useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { useI18n } from '../../i18n.tsx';

const show = (n: number | undefined) => (n === undefined ? '—' : String(n));

export function ChildcareIndicators() {
  const { t } = useI18n();
  const [city, setCity] = useState<{ placesPer1000?: number; shortfall?: number }>({});
  useEffect(() => {
    api<{ city?: { placesPer1000?: number; shortfall?: number } }>('/reports/childcare').then(
      (r) => setCity(r.city ?? {}),
      () => setCity({}),
    );
  }, []);
  return (
    <>
      <dt>{t('plan.childcare')}</dt>
      <dd data-testid="plan-places">{show(city.placesPer1000)}</dd>
      <dt>{t('plan.shortfall')}</dt>
      <dd>{show(city.shortfall)}</dd>
    </>
  );
}
