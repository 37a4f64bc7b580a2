/**
 * The living-allowance desk for the township office and the city bureau: the township's
 * allowances (with annual reviews to complete), and the month's payment batch — created and
 * closed by the township, recorded as paid by the city. The server decides who may do what
 * (one batch per township and month, the states of a batch); this page shows its answers.
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { ApiError, api, errorText } from '../../api.ts';
import { Alerts } from '../../components/Alerts.tsx';
import { yuan } from '../../components/money.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ScrollRegion } from '../../components/ScrollRegion.tsx';
import { useI18n } from '../../i18n.tsx';
import { useLatest } from '../../latest.ts';
import { useSession } from '../../session.ts';
import { CITY_AGENCY, TOWNSHIP_AGENCY } from './agencies.ts';
import type { Allowance, BatchDetail } from './types.ts';

const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

export function AllowanceDesk() {
  const { t } = useI18n();
  const user = useSession()?.user;
  const isCity = user?.agency === CITY_AGENCY;
  const [township, setTownship] = useState(user?.township ?? 'liushi');
  const [month, setMonth] = useState(thisMonth());
  const [allowances, setAllowances] = useState<Allowance[] | null>(null);
  const [batch, setBatch] = useState<BatchDetail | null>(null);
  const [reference, setReference] = useState('');
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const latest = useLatest();

  const load = useCallback(async () => {
    const current = latest();
    setError('');
    try {
      const [list, detail] = await Promise.all([
        api<{ items: Allowance[] }>(`/child-allowance/allowances?township=${encodeURIComponent(township)}`),
        api<BatchDetail>(`/child-allowance/batches/${encodeURIComponent(township)}/${month}`).catch(
          (err: unknown) => {
            if (err instanceof ApiError && err.status === 404) return null;
            throw err;
          },
        ),
      ]);
      if (!current()) return;
      setAllowances(list.items);
      setBatch(detail);
    } catch (err) {
      if (current()) setError(errorText(err));
    }
  }, [township, month, latest]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (path: string, body: unknown, done: string) => {
    setBusy(true);
    setError('');
    setNotice('');
    try {
      await api(path, { method: 'POST', body });
      setNotice(done);
      await load();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const batchPath = `/child-allowance/batches/${encodeURIComponent(township)}/${month}`;
  const paid = (e: FormEvent) => {
    e.preventDefault();
    void act(`${batchPath}/paid`, { paymentReference: reference.trim() }, t('cla.paid'));
  };

  if (user?.agency !== TOWNSHIP_AGENCY && !isCity) return <p>{t('cla.notYours')}</p>;
  return (
    <div>
      <PageTitle>{t('cla.desk')}</PageTitle>
      <Alerts error={error} notice={notice} />
      <section className="card" aria-labelledby="cla-batch-title">
        <h2 id="cla-batch-title">{t('cla.batch')}</h2>
        <div className="field">
          <label htmlFor="cla-township">{t('cla.township')}</label>
          <input
            id="cla-township"
            value={township}
            readOnly={!isCity}
            onChange={(e) => setTownship(e.target.value.trim())}
          />
        </div>
        <div className="field">
          <label htmlFor="cla-month">{t('cla.month')}</label>
          <input id="cla-month" type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
        </div>
        {batch ? (
          <>
            <dl className="facts" data-testid="batch-facts">
              <dt>{t('cla.status')}</dt>
              <dd>{t(`cla.${batch.batch.status}`)}</dd>
              <dt>{t('cla.count')}</dt>
              <dd>{batch.batch.count}</dd>
              <dt>{t('cla.total')}</dt>
              <dd>{yuan(batch.batch.totalFen)}</dd>
            </dl>
            {batch.batch.status === 'open' ? (
              <p>
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() => void act(`${batchPath}/close`, {}, t('cla.closed'))}
                >
                  {t('cla.closeBatch')}
                </button>
              </p>
            ) : null}
            {batch.batch.status === 'closed' && isCity ? (
              <form onSubmit={paid} noValidate>
                <div className="field">
                  <label htmlFor="cla-reference">{t('cla.paymentReference')}</label>
                  <input
                    id="cla-reference"
                    value={reference}
                    maxLength={60}
                    onChange={(e) => setReference(e.target.value)}
                  />
                </div>
                <p>
                  <button type="submit" className="button" disabled={busy}>
                    {t('cla.markPaid')}
                  </button>
                </p>
              </form>
            ) : null}
          </>
        ) : (
          <p>
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => void act('/child-allowance/batches', { township, month }, t('cla.batch'))}
            >
              {t('cla.createBatch')}
            </button>
          </p>
        )}
      </section>
      <section className="card" aria-labelledby="cla-list-title">
        <h2 id="cla-list-title">{t('cla.allowances')}</h2>
        {allowances === null && !error ? <p role="status">{t('loading')}</p> : null}
        {allowances?.length ? (
          <ScrollRegion label={t('cla.allowances')}>
            <table data-testid="allowance-list">
              <caption>{t('cla.allowances')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('cla.child')}</th>
                  <th scope="col">{t('cla.status')}</th>
                  <th scope="col">{t('cla.startMonth')}</th>
                  <th scope="col">{t('cla.nextReview')}</th>
                </tr>
              </thead>
              <tbody>
                {allowances.map((a) => (
                  <tr key={a.appId}>
                    <td>{a.label}</td>
                    <td>{a.status === 'active' ? t('cla.active') : t('cla.ended')}</td>
                    <td>{a.startMonth}</td>
                    <td>
                      {a.review ? (
                        <button
                          type="button"
                          className="button secondary"
                          disabled={busy}
                          onClick={() =>
                            void act(
                              `/child-allowance/allowances/${a.appId}/review`,
                              { outcome: 'continue' },
                              t('cla.reviewContinue'),
                            )
                          }
                        >
                          {t('cla.reviewContinue')}
                        </button>
                      ) : a.status === 'active' ? (
                        a.nextReviewOn
                      ) : (
                        a.endMonth
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        ) : null}
      </section>
    </div>
  );
}
