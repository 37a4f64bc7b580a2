/** 好差评 statistics for auditors: a year's ratings per service, agency and township, and CSV. */
import { useEffect, useState } from 'react';
import { api, errorText } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { RATING_SCORES } from '../../components/RatingPanel.tsx';
import { ScrollRegion } from '../../components/ScrollRegion.tsx';
import { downloadCsv } from '../../download.ts';
import { useI18n } from '../../i18n.tsx';
import type { Schemas } from '../../types.ts';

type Report = Schemas['RatingReport'];
type Count = Report['byService'][number];

const thisYear = () => Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));

export default function Ratings() {
  const { t } = useI18n();
  const [year, setYear] = useState(thisYear());
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    setReport(null);
    setError('');
    api<Report>(`/reports/ratings?year=${year}`).then(
      (r) => live && setReport(r),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [year]);
  const pct = (v: number | null) => (v === null ? '—' : `${v}%`);

  const table = (title: string, rows: Count[]) => (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      {rows.length === 0 ? <p>{t('followUps.none')}</p> : null}
      {rows.length ? (
        <ScrollRegion className="table-wrap" label={title}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('ratings.key')}</th>
                <th scope="col" className="num">
                  {t('ratings.total')}
                </th>
                {RATING_SCORES.map((s) => (
                  <th key={s} scope="col" className="num">
                    {t(`rating.score.${s}`)}
                  </th>
                ))}
                <th scope="col" className="num">
                  {t('ratings.satisfied')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.key} data-key={c.key}>
                  <th scope="row">{c.key}</th>
                  <td className="num">{c.total}</td>
                  {RATING_SCORES.map((s) => (
                    <td key={s} className="num">
                      {c.byScore[s]}
                    </td>
                  ))}
                  <td className="num">{pct(c.satisfiedPct)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
    </section>
  );

  return (
    <div>
      <PageTitle>{t('ratings.title')}</PageTitle>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="ratings-year">{t('ratings.year')}</label>
        <select id="ratings-year" value={year} onChange={(e) => setYear(Number(e.target.value))}>
          {[0, 1, 2, 3, 4].map((n) => (
            <option key={n} value={thisYear() - n}>
              {thisYear() - n}
            </option>
          ))}
        </select>
      </div>
      {report === null && !error ? <p role="status">{t('loading')}</p> : null}
      {report ? (
        <>
          <dl className="kv" data-testid="ratings-summary">
            <dt>{t('ratings.total')}</dt>
            <dd>{report.total}</dd>
            <dt>{t('ratings.satisfied')}</dt>
            <dd>{pct(report.satisfiedPct)}</dd>
          </dl>
          <p data-testid="ratings-followups">
            {t('ratings.followUps', {
              opened: report.followUps.opened,
              contacted: report.followUps.contactedInTime,
              resolved: report.followUps.resolvedInTime,
              open: report.followUps.open,
            })}
          </p>
          <p>
            <button
              type="button"
              className="button secondary"
              onClick={() =>
                void downloadCsv(`/reports/ratings?year=${year}&format=csv`, `ratings-${year}.csv`).catch(
                  (err: unknown) => setError(errorText(err)),
                )
              }
            >
              {t('ratings.csv')}
            </button>
          </p>
          {table(t('ratings.byService'), report.byService)}
          {table(t('ratings.byAgency'), report.byAgency)}
          {table(t('ratings.byTownship'), report.byTownship)}
        </>
      ) : null}
    </div>
  );
}
