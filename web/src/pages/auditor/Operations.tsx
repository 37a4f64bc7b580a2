/**
 * The auditor's operations reports (issue 17 item 3): SLA breaches (`GET /reports/sla-breaches`),
 * throughput per day (`GET /reports/throughput`) and open cases by age (`GET /reports/open-cases`)
 * for one service, with one set of filters, each as a chart, a table and a CSV download.
 * Aggregates only. A bad period comes back from the API as field errors, shown at the date fields;
 * each section shows its own loading, empty and error states.
 */
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { ApiError, api, errorText, type FieldError } from '../../api.ts';
import { useCatalog } from '../../catalog.ts';
import { CountChart } from '../../components/CountChart.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ScrollRegion } from '../../components/ScrollRegion.tsx';
import { chinaDate } from '../../dates.ts';
import { downloadCsv } from '../../download.ts';
import { useI18n } from '../../i18n.tsx';
import { anyStatusLabel } from '../../status.ts';
import type { Reply } from '../../types.ts';

type Sla = Reply<'/reports/sla-breaches', 'get'>;
type SlaRow = Sla['overall'];
type Throughput = Reply<'/reports/throughput', 'get'>;
type OpenCases = Reply<'/reports/open-cases', 'get'>;
type AgeRow = OpenCases['steps'][number];
type GroupBy = Sla['groupBy'];

/** One section's request: nothing yet, in flight, answered, or refused. */
type Load<T> =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'data'; data: T }
  | { state: 'error'; error: unknown };

interface Filters {
  service: string;
  from: string;
  to: string;
  township: string;
  agency: string;
  groupBy: GroupBy;
}

const COLORS = ['#1d4ed8', '#047857', '#a15c00', '#b42318', '#6d28d9', '#0e7490', '#4b5563'];

function qs(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  return q.toString();
}

export function slaQuery(f: Filters): string {
  return qs({
    service: f.service,
    from: f.from,
    to: f.to,
    groupBy: f.groupBy,
    township: f.township,
    agency: f.agency,
  });
}
export function throughputQuery(f: Filters): string {
  return qs({ service: f.service, from: f.from, to: f.to, township: f.township });
}
export function openCasesQuery(f: Filters): string {
  return qs({ service: f.service, township: f.township, groupBy: f.township ? undefined : 'township' });
}

function useLoad<T>(path: string | null): [Load<T>, () => void] {
  const [load, setLoad] = useState<Load<T>>({ state: 'idle' });
  const [nonce, setNonce] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: nonce reloads the same query
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setLoad({ state: 'loading' });
    api<T>(path).then(
      (data) => live && setLoad({ state: 'data', data }),
      (error: unknown) => live && setLoad({ state: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [path, nonce]);
  return [load, () => setNonce((n) => n + 1)];
}

const fieldErrorsOf = (load: Load<unknown>): FieldError[] =>
  load.state === 'error' && load.error instanceof ApiError ? load.error.fields : [];

export default function Operations() {
  const { t, tx } = useI18n();
  const { catalog, error: catalogError } = useCatalog();
  const [draft, setDraft] = useState<Filters>({
    service: '',
    from: chinaDate(-30),
    to: chinaDate(0),
    township: '',
    agency: '',
    groupBy: 'step',
  });
  const [applied, setApplied] = useState<Filters | null>(null);
  const [csvError, setCsvError] = useState('');
  const [refresh, setRefresh] = useState(0);

  const firstService = catalog?.services[0]?.id ?? '';
  useEffect(() => {
    if (firstService && applied === null) {
      const f = { ...draft, service: draft.service || firstService };
      setDraft(f);
      setApplied(f);
    }
  }, [firstService, applied, draft]);

  const [sla, reloadSla] = useLoad<Sla>(applied && `/reports/sla-breaches?${slaQuery(applied)}`);
  const [tp, reloadTp] = useLoad<Throughput>(applied && `/reports/throughput?${throughputQuery(applied)}`);
  const [open, reloadOpen] = useLoad<OpenCases>(applied && `/reports/open-cases?${openCasesQuery(applied)}`);
  // biome-ignore lint/correctness/useExhaustiveDependencies: "show" again re-reads the same query
  useEffect(() => {
    if (refresh > 0) {
      reloadSla();
      reloadTp();
      reloadOpen();
    }
  }, [refresh]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCsvError('');
    const same = applied && JSON.stringify(applied) === JSON.stringify(draft);
    if (same) setRefresh((n) => n + 1);
    else setApplied({ ...draft });
  };

  // field errors of the period, from whichever dated report answered them
  const fieldErrors = [...fieldErrorsOf(sla), ...fieldErrorsOf(tp)];
  const errorAt = (field: 'from' | 'to') => {
    const e = fieldErrors.find((f) => f.path === `query.${field}`);
    return e ? tx(e.messages) || e.message : '';
  };
  const fromError = errorAt('from');
  const toError = errorAt('to');

  const svc = catalog?.services.find((s) => s.id === applied?.service);
  const stepTitle = (step: string) =>
    step === 'overall' ? t('report.overall') : tx(svc?.steps.find((s) => s.step === step)?.title) || step;
  /** An agency's name: the city's register, else the steps it decides (a service module's own agency). */
  const agencyIn = (service: string | undefined, id: string | undefined) => {
    const known = catalog?.reference.agencies.find((a) => a.id === id);
    if (known) return tx(known.name);
    const steps = catalog?.services.find((s) => s.id === service)?.steps.filter((s) => s.agency === id) ?? [];
    return steps.map((s) => tx(s.title)).join('、') || id || '—';
  };
  const agencyName = (id: string | undefined) => agencyIn(applied?.service, id);
  const draftAgencies = [
    ...new Set(
      (catalog?.services.find((s) => s.id === draft.service)?.steps ?? []).flatMap((s) =>
        s.agency ? [s.agency] : [],
      ),
    ),
  ];
  const townshipName = (id: string | undefined) =>
    tx(catalog?.reference.townships.find((a) => a.id === id)?.name) || id || '—';

  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => setDraft((d) => ({ ...d, [k]: v }));

  const csv = (path: string, name: string) =>
    void downloadCsv(path, name).catch((err: unknown) => setCsvError(errorText(err)));

  return (
    <div>
      <PageTitle sub={t('ops.lead')}>{t('ops.title')}</PageTitle>
      <form className="filters" onSubmit={submit} aria-label={t('report.filters')} noValidate>
        <div className="field">
          <label htmlFor="ops-service">{t('queue.service')}</label>
          <select
            id="ops-service"
            value={draft.service}
            onChange={(e) => setDraft((d) => ({ ...d, service: e.target.value, agency: '' }))}
          >
            {catalog?.services.map((s) => (
              <option key={s.id} value={s.id}>
                {tx(s.title)}
              </option>
            ))}
          </select>
        </div>
        <DateField
          id="ops-from"
          label={t('report.from')}
          value={draft.from}
          error={fromError}
          onChange={(v) => set('from', v)}
        />
        <DateField
          id="ops-to"
          label={t('report.to')}
          value={draft.to}
          error={toError}
          onChange={(v) => set('to', v)}
        />
        <div className="field">
          <label htmlFor="ops-township">{t('ops.township')}</label>
          <select id="ops-township" value={draft.township} onChange={(e) => set('township', e.target.value)}>
            <option value="">{t('all')}</option>
            {catalog?.reference.townships.map((r) => (
              <option key={r.id} value={r.id}>
                {tx(r.name)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="ops-agency">{t('ops.agency')}</label>
          <select id="ops-agency" value={draft.agency} onChange={(e) => set('agency', e.target.value)}>
            <option value="">{t('all')}</option>
            {draftAgencies.map((id) => (
              <option key={id} value={id}>
                {agencyIn(draft.service, id)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="ops-group">{t('ops.groupBy')}</label>
          <select
            id="ops-group"
            value={draft.groupBy}
            onChange={(e) => set('groupBy', e.target.value as GroupBy)}
          >
            <option value="step">{t('ops.group.step')}</option>
            <option value="agency">{t('ops.group.agency')}</option>
            <option value="township">{t('ops.group.township')}</option>
          </select>
        </div>
        <div className="field">
          <button type="submit" className="button">
            {t('report.show')}
          </button>
        </div>
      </form>
      <p className="muted">{t('ops.filtersNote')}</p>
      {catalogError || csvError ? (
        <p className="alert error" role="alert">
          {csvError || errorText(catalogError)}
        </p>
      ) : null}

      <section aria-labelledby="ops-sla-title" className="card" data-testid="ops-sla">
        <h2 id="ops-sla-title">{t('ops.sla.title')}</h2>
        <Status load={sla} hasFieldErrors={fieldErrorsOf(sla).length > 0} />
        {sla.state === 'data' && applied ? (
          <SlaView
            report={sla.data}
            stepTitle={stepTitle}
            agencyName={agencyName}
            townshipName={townshipName}
            onCsv={() =>
              csv(
                `/reports/sla-breaches?${slaQuery(applied)}&format=csv`,
                `sla-breaches-${applied.service}-${applied.from}-${applied.to}.csv`,
              )
            }
          />
        ) : null}
      </section>

      <section aria-labelledby="ops-tp-title" className="card" data-testid="ops-throughput">
        <h2 id="ops-tp-title">{t('ops.tp.title')}</h2>
        <Status load={tp} hasFieldErrors={fieldErrorsOf(tp).length > 0} />
        {tp.state === 'data' && applied ? (
          <ThroughputView
            report={tp.data}
            onCsv={() =>
              csv(
                `/reports/throughput?${throughputQuery(applied)}&format=csv`,
                `throughput-${applied.service}-${applied.from}-${applied.to}.csv`,
              )
            }
          />
        ) : null}
      </section>

      <section aria-labelledby="ops-open-title" className="card" data-testid="ops-open">
        <h2 id="ops-open-title">{t('ops.open.title')}</h2>
        <Status load={open} hasFieldErrors={false} />
        {open.state === 'data' && applied ? (
          <OpenView
            report={open.data}
            stepTitle={stepTitle}
            townshipName={townshipName}
            onCsv={() =>
              csv(
                `/reports/open-cases?${openCasesQuery(applied)}&format=csv`,
                `open-cases-${applied.service}.csv`,
              )
            }
          />
        ) : null}
      </section>
    </div>
  );
}

function DateField(props: {
  id: string;
  label: string;
  value: string;
  error: string;
  onChange(v: string): void;
}) {
  const errorId = `${props.id}-error`;
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="date"
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? errorId : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.error ? (
        <p className="field-error" id={errorId}>
          <span aria-hidden="true">⚠ </span>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** Loading and error states of a section (field errors are shown at the fields, named here). */
function Status({ load, hasFieldErrors }: { load: Load<unknown>; hasFieldErrors: boolean }) {
  const { t } = useI18n();
  if (load.state === 'loading' || load.state === 'idle')
    return (
      <p role="status" aria-live="polite">
        {t('loading')}
      </p>
    );
  if (load.state === 'error')
    return (
      <p className="alert error" role="alert">
        {hasFieldErrors ? t('ops.fixPeriod') : errorText(load.error)}
      </p>
    );
  return null;
}

function CsvButton({ label, onClick }: { label: string; onClick(): void }) {
  return (
    <p>
      <button type="button" className="button secondary" onClick={onClick}>
        {label}
      </button>
    </p>
  );
}

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${Math.round(v * 1000) / 10}%`;

function SlaView(props: {
  report: Sla;
  stepTitle(step: string): string;
  agencyName(id: string | undefined): string;
  townshipName(id: string | undefined): string;
  onCsv(): void;
}) {
  const { t } = useI18n();
  const { report, stepTitle, agencyName, townshipName } = props;
  const by = report.groupBy;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the names follow the catalogue, loaded first
  const rows: Array<{ key: string; head: string; row: SlaRow; total?: boolean }> = useMemo(
    () =>
      by === 'agency'
        ? (report.groups ?? []).map((r) => ({ key: r.agency ?? '-', head: agencyName(r.agency), row: r }))
        : by === 'township'
          ? (report.groups ?? [])
              .filter((r) => r.step === 'overall')
              .map((r) => ({ key: r.township ?? '-', head: townshipName(r.township), row: r }))
          : report.steps.map((r) => ({ key: r.step, head: stepTitle(r.step), row: r })),
    [report],
  );
  const all = [...rows, { key: 'overall', head: t('report.overall'), row: report.overall, total: true }];
  const empty =
    report.overall.decided === 0 &&
    report.overall.breaches === 0 &&
    rows.every((r) => r.row.decided === 0 && r.row.breaches === 0);
  const labels = useMemo(() => rows.map((r) => r.head), [rows]);
  const series = useMemo(
    () => [
      { label: t('ops.sla.within'), color: COLORS[1] as string, data: rows.map((r) => r.row.withinSla) },
      { label: t('ops.sla.late'), color: COLORS[3] as string, data: rows.map((r) => r.row.late) },
      { label: t('ops.sla.breaches'), color: COLORS[2] as string, data: rows.map((r) => r.row.breaches) },
    ],
    [rows, t],
  );
  return (
    <>
      <p className="muted">{t('ops.sla.note')}</p>
      <CsvButton label={t('ops.sla.csv')} onClick={props.onCsv} />
      {empty ? (
        <p data-testid="ops-sla-empty">{t('ops.empty')}</p>
      ) : (
        <>
          {rows.length ? (
            <CountChart
              type="bar"
              title={t('ops.sla.title')}
              unit={t('ops.unit')}
              labels={labels}
              series={series}
              testId="ops-sla-chart"
            />
          ) : null}
          <ScrollRegion className="table-wrap" label={t('ops.sla.title')}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t(`ops.group.${by}`)}</th>
                  <th scope="col" className="num">
                    {t('ops.sla.decided')}
                  </th>
                  <th scope="col" className="num">
                    {t('ops.sla.within')}
                  </th>
                  <th scope="col" className="num">
                    {t('ops.sla.late')}
                  </th>
                  <th scope="col" className="num">
                    {t('report.withinSla')}
                  </th>
                  <th scope="col" className="num">
                    {t('ops.sla.breaches')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {all.map((r) => (
                  <tr key={r.key} data-key={r.key} className={r.total ? 'total-row' : undefined}>
                    <th scope="row">{r.head}</th>
                    <td className="num" data-col="decided">
                      {r.row.decided}
                    </td>
                    <td className="num" data-col="withinSla">
                      {r.row.withinSla}
                    </td>
                    <td className="num" data-col="late">
                      {r.row.late}
                    </td>
                    <td className="num" data-col="rate">
                      {pct(r.row.withinSlaRate)}
                    </td>
                    <td className="num" data-col="breaches">
                      {r.row.breaches}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      )}
    </>
  );
}

const TP_SERIES = ['submitted', 'settled', 'decisions', 'infoRequests'] as const;

function ThroughputView({ report, onCsv }: { report: Throughput; onCsv(): void }) {
  const { t } = useI18n();
  const { totals } = report;
  const empty = TP_SERIES.every((k) => totals[k] === 0);
  const labels = useMemo(() => report.days.map((d) => d.day.slice(5)), [report]);
  const series = useMemo(
    () =>
      TP_SERIES.map((k, i) => ({
        label: t(`ops.tp.${k}`),
        color: COLORS[i] as string,
        data: report.days.map((d) => d[k]),
      })),
    [report, t],
  );
  return (
    <>
      <dl className="kv" data-testid="ops-tp-totals">
        {TP_SERIES.map((k) => (
          <div key={k}>
            <dt>{t(`ops.tp.${k}`)}</dt>
            <dd data-total={k}>{totals[k]}</dd>
          </div>
        ))}
      </dl>
      <CsvButton label={t('ops.tp.csv')} onClick={onCsv} />
      {empty ? (
        <p data-testid="ops-tp-empty">{t('ops.empty')}</p>
      ) : (
        <>
          <CountChart
            type="line"
            title={t('ops.tp.title')}
            unit={t('ops.unit')}
            labels={labels}
            series={series}
            testId="ops-tp-chart"
          />
          <details>
            <summary>{t('ops.tp.table')}</summary>
            <ScrollRegion className="table-wrap" label={t('ops.tp.table')}>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('trend.day')}</th>
                    {TP_SERIES.map((k) => (
                      <th key={k} scope="col" className="num">
                        {t(`ops.tp.${k}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {report.days
                    .filter((d) => TP_SERIES.some((k) => d[k] > 0))
                    .map((d) => (
                      <tr key={d.day} data-day={d.day}>
                        <th scope="row">{d.day}</th>
                        {TP_SERIES.map((k) => (
                          <td key={k} className="num" data-col={k}>
                            {d[k]}
                          </td>
                        ))}
                      </tr>
                    ))}
                </tbody>
              </table>
            </ScrollRegion>
          </details>
        </>
      )}
    </>
  );
}

function OpenView(props: {
  report: OpenCases;
  stepTitle(step: string): string;
  townshipName(id: string | undefined): string;
  onCsv(): void;
}) {
  const { t, tx, lang } = useI18n();
  const { report, stepTitle, townshipName } = props;
  const bands = useMemo(
    () =>
      report.buckets.map((b) =>
        b.maxDays === null
          ? t('ops.open.ageOver', { min: b.minDays })
          : t('ops.open.age', { min: b.minDays, max: b.maxDays }),
      ),
    [report, t],
  );
  const series = useMemo(
    () => [
      {
        label: t('ops.open.cases'),
        color: COLORS[0] as string,
        data: report.buckets.map((_, k) => report.cases.reduce((n, c) => n + (c.byAge[k] ?? 0), 0)),
      },
    ],
    [report, t],
  );
  const table = (
    title: string,
    first: string,
    rows: AgeRow[],
    head: (r: AgeRow) => string,
    testId: string,
  ) => (
    <ScrollRegion className="table-wrap" label={title}>
      <table className="table" data-testid={testId}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <th scope="col" className="num">
              {t('ops.open.open')}
            </th>
            <th scope="col" className="num">
              {t('ops.open.overdue')}
            </th>
            {bands.map((b) => (
              <th key={b} scope="col" className="num">
                {b}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-key={r.key}>
              <th scope="row">{head(r)}</th>
              <td className="num" data-col="open">
                {r.open}
              </td>
              <td className="num" data-col="overdue">
                {r.overdue}
              </td>
              {r.byAge.map((n, i) => (
                <td key={report.buckets[i]?.label ?? i} className="num">
                  {n}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
  return (
    <>
      <p className="muted">
        {t('ops.open.note', {
          asOf: new Date(report.asOf).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', {
            timeZone: 'Asia/Shanghai',
          }),
        })}
      </p>
      <dl className="kv" data-testid="ops-open-totals">
        <dt>{t('ops.open.open')}</dt>
        <dd data-total="open">{report.total}</dd>
        <dt>{t('ops.open.overdue')}</dt>
        <dd data-total="overdue">{report.overdue}</dd>
      </dl>
      <CsvButton label={t('ops.open.csv')} onClick={props.onCsv} />
      {report.total === 0 ? (
        <p data-testid="ops-open-empty">{t('ops.open.empty')}</p>
      ) : (
        <>
          <CountChart
            type="bar"
            title={t('ops.open.chart')}
            unit={t('ops.unit')}
            labels={bands}
            series={series}
            testId="ops-open-chart"
          />
          {table(
            t('ops.open.byStep'),
            t('queue.step'),
            report.steps,
            (r) => stepTitle(r.key),
            'ops-open-steps',
          )}
          {table(
            t('ops.open.byStatus'),
            t('ops.open.status'),
            report.cases,
            (r) => tx(anyStatusLabel(r.key)),
            'ops-open-status',
          )}
          {report.townships
            ? table(
                t('ops.open.byTownship'),
                t('ops.township'),
                report.townships,
                (r) => townshipName(r.key),
                'ops-open-townships',
              )
            : null}
        </>
      )}
    </>
  );
}
