/**
 * The family's view of a confirmed allowance: its status, the first (and last) month paid, the
 * next annual review, and every payment with its amount in yuan.
 */
import { useEffect, useState } from 'react';
import { ApiError, api, errorText } from '../../api.ts';
import { yuan } from '../../components/money.ts';
import { ScrollRegion } from '../../components/ScrollRegion.tsx';
import { useI18n } from '../../i18n.tsx';
import type { AllowanceDetail } from './types.ts';

export function FamilyAllowance({ appId }: { appId: string }) {
  const { t } = useI18n();
  const [detail, setDetail] = useState<AllowanceDetail | null | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    api<AllowanceDetail>(`/child-allowance/allowances/${encodeURIComponent(appId)}`).then(
      setDetail,
      (err: unknown) =>
        err instanceof ApiError && err.status === 404 ? setDetail(null) : setError(errorText(err)),
    );
  }, [appId]);
  if (detail === null) return null;
  const a = detail?.allowance;
  return (
    <section className="card" aria-labelledby="allowance-title">
      <h2 id="allowance-title">{t('cla.allowance')}</h2>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      {detail === undefined && !error ? <p role="status">{t('loading')}</p> : null}
      {a ? (
        <dl className="facts" data-testid="allowance-facts">
          <dt>{t('cla.status')}</dt>
          <dd>{a.status === 'active' ? t('cla.active') : t('cla.ended')}</dd>
          <dt>{t('cla.startMonth')}</dt>
          <dd>{a.startMonth}</dd>
          {a.endMonth ? (
            <>
              <dt>{t('cla.endMonth')}</dt>
              <dd>{a.endMonth}</dd>
            </>
          ) : (
            <>
              <dt>{t('cla.nextReview')}</dt>
              <dd>{a.review ? t('cla.reviewOpen') : a.nextReviewOn}</dd>
            </>
          )}
        </dl>
      ) : null}
      {detail ? (
        detail.payments.length === 0 ? (
          <p>{t('cla.noPayments')}</p>
        ) : (
          <ScrollRegion label={t('cla.payments')}>
            <table data-testid="allowance-payments">
              <caption>{t('cla.payments')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('cla.month')}</th>
                  <th scope="col">{t('cla.amount')}</th>
                  <th scope="col">{t('cla.status')}</th>
                </tr>
              </thead>
              <tbody>
                {detail.payments.map((p) => (
                  <tr key={p.month}>
                    <td>{p.month}</td>
                    <td>{yuan(p.amountFen)}</td>
                    <td>{t(`cla.${p.status}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )
      ) : null}
    </section>
  );
}
