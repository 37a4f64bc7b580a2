/**
 * A family's rehab-aid plan once the application is approved: first the choice of a designated
 * institution serving the child's disability category (`POST /rehab/applications/{id}/institution`),
 * then the plan with its caps and what has been approved against them this year.
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { ApiError, api, errorText } from '../../api.ts';
import { yuan } from '../../components/money.ts';
import { useI18n } from '../../i18n.tsx';
import { Link } from '../../router.tsx';
import type { ApplicationView } from '../../types.ts';
import { planStatusLabels, replacementLink } from './plan-status.ts';
import type { RehabInstitution, RehabPlanDetail } from './types.ts';

export function RehabPlan({ app }: { app: ApplicationView }) {
  const { t, tx } = useI18n();
  const category = String((app.form.disability as { category?: string } | undefined)?.category ?? '');
  const [detail, setDetail] = useState<RehabPlanDetail | null | undefined>(undefined);
  const [institutions, setInstitutions] = useState<RehabInstitution[]>([]);
  const [choice, setChoice] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setDetail(await api<RehabPlanDetail>(`/rehab/plans/${app.id}`));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        setDetail(null);
        const list = await api<{ items: RehabInstitution[] }>(
          `/rehab/institutions?category=${encodeURIComponent(category)}`,
          { anonymous: true },
        ).catch((e: unknown) => {
          setError(errorText(e));
          return { items: [] };
        });
        setInstitutions(list.items);
      } else setError(errorText(err));
    }
  }, [app.id, category]);
  useEffect(() => {
    void load();
  }, [load]);

  const choose = async (e: FormEvent) => {
    e.preventDefault();
    if (!choice) return setError(t('aidPlan.chooseFirst'));
    setBusy(true);
    setError('');
    try {
      await api(`/rehab/applications/${app.id}/institution`, {
        method: 'POST',
        body: { institution: choice },
      });
      await load();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const nameOf = (id: string) => tx(institutions.find((i) => i.id === id)?.name) || id;

  return (
    <section className="card" aria-labelledby="aid-plan-title">
      <h2 id="aid-plan-title">{t('aidPlan.title')}</h2>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      {detail === undefined && !error ? <p role="status">{t('loading')}</p> : null}
      {detail === null ? (
        <form onSubmit={choose} noValidate>
          <fieldset className="field group">
            <legend>{t('aidPlan.choose')}</legend>
            <p className="help">{t('aidPlan.chooseHelp')}</p>
            {institutions.map((i) => (
              <label key={i.id} className="choice" htmlFor={`inst-${i.id}`}>
                <input
                  id={`inst-${i.id}`}
                  type="radio"
                  name="institution"
                  value={i.id}
                  checked={choice === i.id}
                  onChange={() => setChoice(i.id)}
                />
                <span>
                  {tx(i.name)}{' '}
                  <span className="muted">{t('aidPlan.ages', { from: i.ages[0], to: i.ages[1] })}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <p>
            <button type="submit" className="button" disabled={busy}>
              {t('aidPlan.confirm')}
            </button>
          </p>
        </form>
      ) : null}
      {detail ? (
        <dl className="kv" data-testid="rehab-plan">
          <dt>{t('detail.status')}</dt>
          <dd data-testid="plan-status">
            {tx(planStatusLabels[detail.plan.status])}
            {detail.plan.supersededBy ? (
              <>
                {' '}
                <Link to={`/parent/applications/${detail.plan.supersededBy}`}>{tx(replacementLink)}</Link>
              </>
            ) : null}
          </dd>
          <dt>{t('aidPlan.institution')}</dt>
          <dd>{nameOf(detail.plan.institution)}</dd>
          <dt>{t('aidPlan.year')}</dt>
          <dd>{detail.plan.year}</dd>
          <dt>{t('aidPlan.monthlyCap')}</dt>
          <dd>{yuan(detail.plan.monthlyCapFen)}</dd>
          <dt>{t('aidPlan.yearlyCap')}</dt>
          <dd>{yuan(detail.plan.yearlyCapFen)}</dd>
          <dt>{t('aidPlan.remaining')}</dt>
          <dd>{yuan(detail.budget?.remainingFen ?? detail.plan.yearlyCapFen)}</dd>
          {Object.keys(detail.budget?.items ?? {}).length ? (
            <>
              <dt>{t('aidPlan.items')}</dt>
              <dd data-testid="plan-items">
                {Object.entries(detail.budget?.items ?? {})
                  .map(([item, fen]) => `${t(`desk.item.${item}` as Parameters<typeof t>[0])} ${yuan(fen)}`)
                  .join('；')}
              </dd>
            </>
          ) : null}
          <dt>{t('aidPlan.standard')}</dt>
          <dd className="mono">{detail.plan.standardVersion}</dd>
        </dl>
      ) : null}
    </section>
  );
}
