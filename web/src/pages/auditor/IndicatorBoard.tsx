/**
 * The plan's indicator board for auditors (`GET /reports/indicators?year=`): per indicator the
 * year's value against the 2020 baseline and the 2025 target, a traffic light, the trend over
 * 2021–2025 and the breakdown by township, hospital or service. Loaded only on the auditor's
 * pages (App.tsx imports it lazily, with the charting code).
 */
import { useEffect, useState } from 'react';
import { api, errorText } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ScrollRegion } from '../../components/ScrollRegion.tsx';
import { useI18n } from '../../i18n.tsx';
import { Link } from '../../router.tsx';
import type { Reply } from '../../types.ts';
import { IndicatorTrend } from './IndicatorTrend.tsx';
import { type Indicator, Light, planYears, thisYear, useFormat } from './indicator-view.tsx';

type Board = Reply<'/reports/indicators', 'get'>;

function IndicatorCard({ indicator }: { indicator: Indicator }) {
  const { t, tx } = useI18n();
  const f = useFormat();
  const id = `ind-${indicator.id}`;
  return (
    <section aria-labelledby={id} className="card indicator" data-indicator={indicator.id}>
      <h2 id={id}>{tx(indicator.title)}</h2>
      <dl className="indicator-figures">
        <div>
          <dt>{t('ind.value')}</dt>
          <dd className="indicator-value" data-testid={`value-${indicator.id}`}>
            {f.value(indicator.value, indicator.unit)}
          </dd>
        </div>
        <div>
          <dt>{t('ind.assessment')}</dt>
          <dd>
            <Light assessment={indicator.assessment} />
          </dd>
        </div>
        <div>
          <dt>{t('ind.target')}</dt>
          <dd>
            {f.target(indicator)}
            {indicator.target.note ? <span className="muted"> （{tx(indicator.target.note)}）</span> : null}
          </dd>
        </div>
        <div>
          <dt>{t('ind.baseline')}</dt>
          <dd>
            {indicator.baseline.value === null
              ? t('ind.noData')
              : f.value(indicator.baseline.value, indicator.unit)}
            {indicator.baseline.note ? (
              <span className="muted"> （{tx(indicator.baseline.note)}）</span>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>{t('ind.fraction')}</dt>
          <dd>
            {f.fraction(indicator.figures.numerator, indicator.figures.denominator)}
            <span className="muted">
              {' '}
              （{tx(indicator.numerator)} / {tx(indicator.denominator)}）
            </span>
          </dd>
        </div>
      </dl>
      <p className="muted">
        {t('ind.definition')}：{tx(indicator.definition)}
      </p>
      <IndicatorTrend indicator={indicator} />
      {indicator.rows.length > 0 && indicator.dimension ? (
        <details className="indicator-rows">
          <summary>
            {t('ind.rows')}：{t(`ind.by.${indicator.dimension}`)}
          </summary>
          <ScrollRegion label={`${tx(indicator.title)} — ${t(`ind.by.${indicator.dimension}`)}`}>
            <table className="table">
              <caption className="visually-hidden">
                {tx(indicator.title)} — {t(`ind.by.${indicator.dimension}`)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t(`ind.by.${indicator.dimension}`)}</th>
                  <th scope="col">{t('ind.value')}</th>
                  <th scope="col">{t('ind.fraction')}</th>
                  <th scope="col">{t('ind.assessment')}</th>
                </tr>
              </thead>
              <tbody>
                {indicator.rows.map((r) => (
                  <tr key={r.key} data-key={r.key}>
                    <th scope="row">{r.name ? tx(r.name) : r.key}</th>
                    <td>{f.value(r.value, indicator.unit)}</td>
                    <td>{f.fraction(r.numerator, r.denominator)}</td>
                    <td>
                      <Light assessment={r.assessment} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </details>
      ) : null}
      <p className="muted small">
        {t('ind.source')}：{tx(indicator.dataSource)}
      </p>
    </section>
  );
}

export function IndicatorBoard() {
  const { t } = useI18n();
  const [year, setYear] = useState(Math.min(thisYear(), 2100));
  const [board, setBoard] = useState<Board | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    setBusy(true);
    setError('');
    api<Board>(`/reports/indicators?year=${year}`).then(
      (b) => {
        if (!live) return;
        setBoard(b);
        setBusy(false);
      },
      (err) => {
        if (!live) return;
        setError(errorText(err));
        setBoard(null);
        setBusy(false);
      },
    );
    return () => {
      live = false;
    };
  }, [year]);

  return (
    <div>
      <PageTitle sub={t('ind.lead')}>{t('ind.title')}</PageTitle>
      <div className="filters">
        <div className="field">
          <label htmlFor="ind-year">{t('ind.year')}</label>
          <select id="ind-year" value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {planYears().map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <Link to={`/auditor/report?year=${year}`} className="button secondary">
            {t('ind.toReport')}
          </Link>
        </div>
      </div>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      <div aria-live="polite" className="live">
        {busy ? <p>{t('loading')}</p> : null}
      </div>
      {board && !busy ? (
        <div className="indicator-board">
          {board.indicators.map((i) => (
            <IndicatorCard key={i.id} indicator={i} />
          ))}
        </div>
      ) : null}
    </div>
  );
}

export default IndicatorBoard;
