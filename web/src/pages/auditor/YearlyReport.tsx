/**
 * The yearly monitoring report (年度监测, `GET /reports/yearly?year=`) as a printable page for the
 * women-and-children committee: every indicator with baseline, value, target and assessment,
 * tables by township and by maternity hospital, notes on data sources; CSV and XLSX for the
 * statistics bureau (the XLSX made here from the report shown, its writer loaded on demand). zh-CN first (the page follows the console's language switch).
 */

import { useEffect, useState } from 'react';
import { api, errorText } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ScrollRegion } from '../../components/ScrollRegion.tsx';
import { downloadCsv } from '../../download.ts';
import { useI18n } from '../../i18n.tsx';
import { navigate, useLocation } from '../../router.tsx';
import type { Reply } from '../../types.ts';
import { Light, planYears, thisYear, useFormat } from './indicator-view.tsx';

type Yearly = Reply<'/reports/yearly', 'get'>;

export function YearlyReport() {
  const { t, tx } = useI18n();
  const f = useFormat();
  const { query } = useLocation();
  const asked = Number(query.get('year'));
  const year = Number.isInteger(asked) && asked >= 2020 && asked <= 2100 ? asked : thisYear();
  const [report, setReport] = useState<Yearly | null>(null);
  const [error, setError] = useState('');
  const [csvBusy, setCsvBusy] = useState(false);
  const [xlsxBusy, setXlsxBusy] = useState(false);

  useEffect(() => {
    let live = true;
    setReport(null);
    setError('');
    api<Yearly>(`/reports/yearly?year=${year}`).then(
      (r) => live && setReport(r),
      (err) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [year]);

  const saveCsv = async () => {
    setCsvBusy(true);
    try {
      await downloadCsv(`/reports/yearly?year=${year}&format=csv`, `monitoring-report-${year}.csv`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setCsvBusy(false);
    }
  };

  const saveXlsx = async () => {
    if (!report) return;
    setXlsxBusy(true);
    try {
      const { saveYearlyXlsx } = await import('./yearly-xlsx.ts');
      await saveYearlyXlsx(report);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setXlsxBusy(false);
    }
  };

  const unitOf = (id: string) => report?.indicators.find((i) => i.id === id)?.unit ?? 'percent';

  return (
    <div className="yearly-report">
      <PageTitle sub={report ? tx(report.title) : undefined}>{t('nav.yearly')}</PageTitle>
      <div className="filters no-print">
        <div className="field">
          <label htmlFor="yr-year">{t('ind.year')}</label>
          <select
            id="yr-year"
            value={year}
            onChange={(e) => navigate(`/auditor/report?year=${e.target.value}`, { replace: true })}
          >
            {planYears().map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <button type="button" className="button" onClick={() => window.print()}>
            {t('yr.print')}
          </button>
        </div>
        <div className="field">
          <button
            type="button"
            className="button secondary"
            disabled={csvBusy}
            onClick={() => void saveCsv()}
          >
            {t('yr.csv')}
          </button>
        </div>
        <div className="field">
          <button
            type="button"
            className="button secondary"
            disabled={xlsxBusy || !report}
            aria-busy={xlsxBusy}
            onClick={() => void saveXlsx()}
          >
            {t('yr.xlsx')}
          </button>
        </div>
      </div>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      {!report && !error ? <p aria-live="polite">{t('loading')}</p> : null}
      {report ? (
        <>
          <p className="report-summary" data-testid="yearly-summary">
            {t('yr.summary', report.summary)}
          </p>
          <section aria-labelledby="yr-ind" className="card">
            <h2 id="yr-ind">{t('yr.indicators')}</h2>
            <ScrollRegion label={t('yr.indicators')}>
              <table className="table" data-testid="yearly-indicators">
                <thead>
                  <tr>
                    <th scope="col">{t('ind.title')}</th>
                    <th scope="col">{t('ind.baseline')}</th>
                    <th scope="col">
                      {year} {t('ind.value')}
                    </th>
                    <th scope="col">{t('ind.fraction')}</th>
                    <th scope="col">{t('ind.target')}</th>
                    <th scope="col">{t('ind.assessment')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.indicators.map((i) => (
                    <tr key={i.id} data-indicator={i.id}>
                      <th scope="row">{tx(i.title)}</th>
                      <td>
                        {i.baseline.value === null ? t('ind.noData') : f.value(i.baseline.value, i.unit)}
                        {i.baseline.note ? <div className="muted small">{tx(i.baseline.note)}</div> : null}
                      </td>
                      <td>{f.value(i.value, i.unit)}</td>
                      <td>{f.fraction(i.figures.numerator, i.figures.denominator)}</td>
                      <td>{f.target(i)}</td>
                      <td>
                        <Light assessment={i.assessment} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          </section>
          {report.tables.map((tb) => (
            <section key={tb.dimension} aria-labelledby={`yr-${tb.dimension}`} className="card">
              <h2 id={`yr-${tb.dimension}`}>
                {t(tb.dimension === 'township' ? 'yr.townships' : 'yr.hospitals')}
              </h2>
              <ScrollRegion label={t(tb.dimension === 'township' ? 'yr.townships' : 'yr.hospitals')}>
                <table className="table" data-testid={`yearly-${tb.dimension}`}>
                  <thead>
                    <tr>
                      <th scope="col">{t(`ind.by.${tb.dimension}`)}</th>
                      {tb.dimension === 'township' ? (
                        <>
                          <th scope="col">{t('yr.population')}</th>
                          <th scope="col">{t('yr.under3')}</th>
                        </>
                      ) : (
                        <th scope="col">{t('yr.births')}</th>
                      )}
                      {tb.columns.map((c) => (
                        <th scope="col" key={c.indicator}>
                          {tx(c.title)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {tb.rows.map((r) => (
                      <tr key={r.key} data-key={r.key}>
                        <th scope="row">{tx(r.name)}</th>
                        {Object.values(r.reference).map((v, i) => (
                          <td key={String(i)}>{v ?? '—'}</td>
                        ))}
                        {r.values.map((v, i) => (
                          <td key={String(i)}>{f.value(v.value, unitOf(tb.columns[i]?.indicator ?? ''))}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            </section>
          ))}
          <section aria-labelledby="yr-notes" className="card">
            <h2 id="yr-notes">{t('yr.notes')}</h2>
            <ul>
              {report.notes.map((n) => (
                <li key={n.indicator}>
                  <strong>{tx(n.title)}</strong>：{tx(n.dataSource)}
                </li>
              ))}
              {report.general.map((g, i) => (
                <li key={String(i)}>{tx(g)}</li>
              ))}
            </ul>
            <p className="muted small">{t('yr.generated', { at: report.generatedAt })}</p>
          </section>
        </>
      ) : null}
    </div>
  );
}

export default YearlyReport;
