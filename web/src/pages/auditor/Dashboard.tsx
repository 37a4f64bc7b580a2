/**
 * Auditor dashboard: processing-time percentiles per step and overall for a service and period
 * (`GET /reports/processing-times`), as a table and a bar chart, with CSV export. Aggregates only:
 * no personal data. Unknown extra fields in the report are ignored, missing ones shown as —.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { api, errorText } from '../../api.ts';
import { useCatalog } from '../../catalog.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { PercentileChart } from '../../components/PercentileChart.tsx';
import { TimingTable } from '../../components/TimingTable.tsx';
import { TrendChart, type TrendRow } from '../../components/TrendChart.tsx';
import { chinaDate } from '../../dates.ts';
import { downloadCsv } from '../../download.ts';
import { useI18n } from '../../i18n.tsx';
import { indicators } from '../../services/registry.ts';
import type { ProcessingTimes, TimingRow } from '../../types.ts';

/** The plan's indicators, each from the service module that feeds it (web/src/services/<id>/). */
function PlanIndicators() {
  const { t } = useI18n();
  return (
    <section aria-labelledby="plan-title" className="card">
      <h2 id="plan-title">{t('plan.title')}</h2>
      <dl className="plan-indicators">
        {indicators().map((Indicator, i) => (
          <Indicator key={String(i)} />
        ))}
      </dl>
    </section>
  );
}

export function Dashboard() {
  const { t, tx } = useI18n();
  const { catalog, error: catalogError } = useCatalog();
  const [service, setService] = useState('');
  const [from, setFrom] = useState(chinaDate(-30));
  const [to, setTo] = useState(chinaDate(0));
  const [report, setReport] = useState<ProcessingTimes | null>(null);
  const [trend, setTrend] = useState<{ by: 'day' | 'week'; rows: TrendRow[] } | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [csvBusy, setCsvBusy] = useState(false);

  const svcId = service || catalog?.services[0]?.id || '';
  const svc = catalog?.services.find((s) => s.id === svcId);
  const query = `service=${encodeURIComponent(svcId)}&from=${from}&to=${to}`;

  const load = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!svcId) return;
    if (from > to) {
      setError(t('report.badPeriod'));
      return;
    }
    setBusy(true);
    setError('');
    // a trend per day over a month or less, per week beyond
    const by = Date.parse(to) - Date.parse(from) <= 31 * 86_400_000 ? 'day' : 'week';
    try {
      const [whole, periods] = await Promise.all([
        api<ProcessingTimes>(`/reports/processing-times?${query}`),
        api<{ groups?: TrendRow[] }>(`/reports/processing-times?${query}&groupBy=${by}`),
      ]);
      setReport(whole);
      setTrend({ by, rows: periods.groups ?? [] });
    } catch (err) {
      setError(errorText(err));
      setReport(null);
      setTrend(null);
    } finally {
      setBusy(false);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once the catalogue is known
  useEffect(() => {
    if (svcId) void load();
  }, [svcId]);

  const saveCsv = async () => {
    setCsvBusy(true);
    try {
      await downloadCsv(
        `/reports/processing-times?${query}&format=csv`,
        `processing-times-${svcId}-${from}-${to}.csv`,
      );
    } catch (err) {
      setError(errorText(err));
    } finally {
      setCsvBusy(false);
    }
  };

  const stepTitle = (step: string) =>
    step === 'overall' ? t('report.overall') : tx(svc?.steps.find((s) => s.step === step)?.title) || step;
  const rows: TimingRow[] = [...(report?.steps ?? []), ...(report?.overall ? [report.overall] : [])].filter(
    (r): r is TimingRow => !!r && typeof r.step === 'string',
  );
  const withData = rows.filter((r) => r.count > 0);

  return (
    <div>
      <PageTitle sub={t('report.lead')}>{t('report.title')}</PageTitle>
      <PlanIndicators />
      <form className="filters" onSubmit={load} aria-label={t('report.filters')}>
        <div className="field">
          <label htmlFor="r-service">{t('queue.service')}</label>
          <select id="r-service" value={svcId} onChange={(e) => setService(e.target.value)}>
            {catalog?.services.map((s) => (
              <option key={s.id} value={s.id}>
                {tx(s.title)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="r-from">{t('report.from')}</label>
          <input id="r-from" type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="r-to">{t('report.to')}</label>
          <input id="r-to" type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
        </div>
        <div className="field">
          <button type="submit" className="button" disabled={busy}>
            {t('report.show')}
          </button>
        </div>
        <div className="field">
          <button
            type="button"
            className="button secondary"
            disabled={csvBusy || !svcId}
            onClick={() => void saveCsv()}
          >
            {t('report.csv')}
          </button>
        </div>
      </form>
      {error || catalogError ? (
        <p className="alert error" role="alert">
          {error || errorText(catalogError)}
        </p>
      ) : null}
      <div aria-live="polite" className="live">
        {busy ? <p>{t('loading')}</p> : null}
      </div>
      {report && !busy ? (
        <>
          <section aria-labelledby="table-title" className="card">
            <h2 id="table-title">{t('report.tableTitle')}</h2>
            <p className="muted">{t('report.note')}</p>
            {rows.length === 0 ? <p>{t('report.empty')}</p> : null}
            {rows.length ? (
              <TimingTable
                label={t('report.tableTitle')}
                caption={t('report.caption', { service: tx(svc?.title), from, to })}
                firstColumn={t('queue.step')}
                percentiles={['p50', 'p90', 'p95', 'p99']}
                rows={rows.map((r) => ({
                  key: r.step,
                  head: stepTitle(r.step),
                  figures: r,
                  attrs: { 'data-step': r.step, className: r.step === 'overall' ? 'total-row' : undefined },
                }))}
              />
            ) : null}
          </section>
          {withData.length ? (
            <section aria-labelledby="chart-title" className="card">
              <h2 id="chart-title">{t('report.chartTitle')}</h2>
              <PercentileChart rows={withData} label={stepTitle} />
            </section>
          ) : null}
          {trend?.rows.length ? (
            <section aria-labelledby="trend-title" className="card">
              <h2 id="trend-title">{t('trend.title')}</h2>
              <p className="muted">{t(trend.by === 'week' ? 'trend.noteWeek' : 'trend.noteDay')}</p>
              <TrendChart rows={trend.rows} by={trend.by} />
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
