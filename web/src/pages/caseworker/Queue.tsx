/**
 * The caseworker's queue (`GET /tasks?status=…`): filters, SLA colour, claim/unclaim, and bulk
 * approval of claimed tasks whose step needs no outputs (hidden when none qualifies).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, errorText } from '../../api.ts';
import { agencyOf, stepOf, townshipOf, useCatalog } from '../../catalog.ts';
import { Alerts } from '../../components/Alerts.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ScrollRegion } from '../../components/ScrollRegion.tsx';
import { SlaBadge, type SlaState, slaState } from '../../components/Status.tsx';
import { useI18n } from '../../i18n.tsx';
import { useLatest } from '../../latest.ts';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.ts';
import type { TaskItem } from '../../types.ts';

type QueueStatus = 'open' | 'claimed' | 'info-requested';
const statuses: QueueStatus[] = ['open', 'claimed', 'info-requested'];

export function Queue() {
  const { t, tx, dt } = useI18n();
  const { catalog } = useCatalog();
  const session = useSession();
  const me = session?.user;
  const [status, setStatus] = useState<QueueStatus>('open');
  const [items, setItems] = useState<TaskItem[] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const [service, setService] = useState('');
  const [step, setStep] = useState('');
  const [sla, setSla] = useState<'' | SlaState>('');
  const [search, setSearch] = useState('');
  const [onlyMine, setOnlyMine] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [now, setNow] = useState(() => Date.now());
  const latest = useLatest();

  const load = useCallback(async () => {
    const current = latest();
    setError('');
    try {
      const r = await api<{ items: TaskItem[] }>(`/tasks?status=${status}`);
      if (!current()) return;
      setItems(r.items);
      setNow(Date.now());
      setSelected(new Set());
    } catch (err) {
      if (!current()) return;
      setError(errorText(err));
      setItems([]);
    }
  }, [status, latest]);
  useEffect(() => {
    setItems(null);
    void load();
  }, [load]);

  const key = (i: TaskItem) => `${i.appId}/${i.step}`;
  const filtered = useMemo(
    () =>
      (items ?? [])
        .filter((i) => !service || i.service === service)
        .filter((i) => !step || i.step === step)
        .filter((i) => !sla || slaState(i, now) === sla)
        .filter(
          (i) =>
            !search.trim() ||
            i.label.toLowerCase().includes(search.trim().toLowerCase()) ||
            i.appId.includes(search.trim().toUpperCase()),
        )
        .filter((i) => !onlyMine || i.assignee === me?.sub)
        .sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? '')),
    [items, service, step, sla, search, onlyMine, me?.sub, now],
  );

  const needsOutputs = (i: TaskItem) => {
    const s = catalog ? stepOf(catalog, i.service, i.step) : undefined;
    return !!s?.outputs && (s.outputs.required?.length ?? 0) > 0;
  };
  const bulkable = filtered.filter(
    (i) => i.status === 'claimed' && i.assignee === me?.sub && !needsOutputs(i),
  );
  const chosen = bulkable.filter((i) => selected.has(key(i)));

  const act = async (label: string, calls: Array<() => Promise<unknown>>) => {
    setBusy(true);
    setNotice('');
    setError('');
    let ok = 0;
    const failures: string[] = [];
    for (const call of calls) {
      try {
        await call();
        ok++;
      } catch (err) {
        failures.push(errorText(err));
      }
    }
    setBusy(false);
    setNotice(t('queue.done', { action: label, n: ok }));
    if (failures.length) setError(failures.join('；'));
    await load();
  };

  const claim = (i: TaskItem) =>
    act(t('queue.claim'), [
      () => api(`/applications/${i.appId}/steps/${i.step}/claim`, { method: 'POST', body: {} }),
    ]);
  const unclaim = (i: TaskItem) =>
    act(t('queue.unclaim'), [
      () => api(`/applications/${i.appId}/steps/${i.step}/unclaim`, { method: 'POST', body: {} }),
    ]);
  const bulkApprove = () =>
    act(
      t('queue.bulkApprove'),
      chosen.map(
        (i) => () =>
          api(`/applications/${i.appId}/steps/${i.step}/decision`, {
            method: 'POST',
            body: { decision: 'approve' },
          }),
      ),
    );

  const agency = catalog ? agencyOf(catalog, me?.agency) : undefined;
  const township = catalog && me?.township ? townshipOf(catalog, me.township) : undefined;
  const steps =
    catalog?.services.flatMap((s) =>
      s.steps.filter((x) => x.agency === me?.agency).map((x) => ({ svc: s, x })),
    ) ?? [];

  return (
    <div>
      <PageTitle
        sub={[agency ? tx(agency.name) : me?.agency, township ? tx(township.name) : '']
          .filter(Boolean)
          .join(' · ')}
      >
        {t('queue.title')}
      </PageTitle>
      <fieldset className="tabs">
        <legend className="visually-hidden">{t('queue.statusFilter')}</legend>
        {statuses.map((s) => (
          <button
            key={s}
            type="button"
            className={`tab${s === status ? ' active' : ''}`}
            aria-pressed={s === status}
            onClick={() => setStatus(s)}
          >
            {t(`queue.status.${s}`)}
          </button>
        ))}
      </fieldset>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('queue.filters')}>
        <div className="field">
          <label htmlFor="q-search">{t('queue.search')}</label>
          <input id="q-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="q-service">{t('queue.service')}</label>
          <select id="q-service" value={service} onChange={(e) => setService(e.target.value)}>
            <option value="">{t('all')}</option>
            {catalog?.services.map((s) => (
              <option key={s.id} value={s.id}>
                {tx(s.title)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q-step">{t('queue.step')}</label>
          <select id="q-step" value={step} onChange={(e) => setStep(e.target.value)}>
            <option value="">{t('all')}</option>
            {steps.map(({ svc, x }) => (
              <option key={`${svc.id}/${x.step}`} value={x.step}>
                {tx(x.title)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q-sla">{t('queue.sla')}</label>
          <select id="q-sla" value={sla} onChange={(e) => setSla(e.target.value as '' | SlaState)}>
            <option value="">{t('all')}</option>
            <option value="on-time">{t('sla.on-time')}</option>
            <option value="warning">{t('sla.warning')}</option>
            <option value="breached">{t('sla.breached')}</option>
          </select>
        </div>
        {status === 'claimed' ? (
          <div className="field check-field">
            <label htmlFor="q-mine" className="choice">
              <input
                id="q-mine"
                type="checkbox"
                checked={onlyMine}
                onChange={(e) => setOnlyMine(e.target.checked)}
              />
              <span>{t('queue.onlyMine')}</span>
            </label>
          </div>
        ) : null}
        <div className="field">
          <button type="button" className="button secondary" onClick={() => void load()} disabled={busy}>
            {t('queue.refresh')}
          </button>
        </div>
      </form>
      <Alerts notice={notice} error={error} />
      {bulkable.length ? (
        <div className="bulk-bar">
          <span>{t('queue.selected', { n: chosen.length })}</span>
          <button
            type="button"
            className="button"
            disabled={busy || !chosen.length}
            onClick={() => void bulkApprove()}
          >
            {t('queue.bulkApprove')}
          </button>
        </div>
      ) : null}
      {!items ? <p role="status">{t('loading')}</p> : null}
      {items && filtered.length === 0 ? <p className="empty">{t('queue.empty')}</p> : null}
      {filtered.length ? (
        <ScrollRegion className="table-wrap" label={t('queue.title')}>
          <table className="table queue-table">
            <caption className="visually-hidden">
              {t('queue.caption', { status: t(`queue.status.${status}`), n: filtered.length })}
            </caption>
            <thead>
              <tr>
                {bulkable.length ? (
                  <th scope="col">
                    <span className="visually-hidden">{t('queue.select')}</span>
                  </th>
                ) : null}
                <th scope="col">{t('queue.case')}</th>
                <th scope="col">{t('queue.step')}</th>
                <th scope="col">{t('queue.opened')}</th>
                <th scope="col">{t('queue.due')}</th>
                <th scope="col">{t('queue.sla')}</th>
                <th scope="col">{t('queue.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {filtered.map((i) => {
                const s = catalog ? stepOf(catalog, i.service, i.step) : undefined;
                const state = slaState(i, now);
                const mine = i.assignee === me?.sub;
                const canBulk = bulkable.includes(i);
                return (
                  <tr key={key(i)} className={`sla-row sla-${state}`}>
                    {bulkable.length ? (
                      <td data-label={t('queue.select')}>
                        {canBulk ? (
                          <input
                            type="checkbox"
                            aria-label={`${t('queue.select')}：${i.label}`}
                            checked={selected.has(key(i))}
                            onChange={(e) => {
                              const next = new Set(selected);
                              if (e.target.checked) next.add(key(i));
                              else next.delete(key(i));
                              setSelected(next);
                            }}
                          />
                        ) : null}
                      </td>
                    ) : null}
                    <td data-label={t('queue.case')}>
                      <div>
                        <Link to={`/caseworker/cases/${i.appId}`}>{i.label}</Link>
                        <div className="muted small mono">{i.appId}</div>
                        {i.township && catalog ? (
                          <div className="muted small">
                            {tx(townshipOf(catalog, i.township)?.name) || i.township}
                          </div>
                        ) : null}
                      </div>
                    </td>
                    <td data-label={t('queue.step')}>{s ? tx(s.title) : i.step}</td>
                    <td data-label={t('queue.opened')}>{dt(i.openedAt)}</td>
                    <td data-label={t('queue.due')}>{dt(i.dueAt)}</td>
                    <td data-label={t('queue.sla')}>
                      <SlaBadge state={state} />
                    </td>
                    <td data-label={t('queue.actions')}>
                      <div className="actions">
                        {i.status === 'open' ? (
                          <button
                            type="button"
                            className="button small"
                            disabled={busy}
                            onClick={() => void claim(i)}
                            aria-label={`${t('queue.claim')}：${i.label}`}
                          >
                            {t('queue.claim')}
                          </button>
                        ) : null}
                        {i.status === 'claimed' && mine ? (
                          <button
                            type="button"
                            className="button small secondary"
                            disabled={busy}
                            onClick={() => void unclaim(i)}
                            aria-label={`${t('queue.unclaim')}：${i.label}`}
                          >
                            {t('queue.unclaim')}
                          </button>
                        ) : null}
                        {i.status === 'claimed' && !mine ? (
                          <span className="muted small">{t('queue.claimedByOther')}</span>
                        ) : null}
                        <Link
                          className="button small secondary"
                          to={`/caseworker/cases/${i.appId}`}
                          aria-label={`${t('queue.open')}：${i.label}`}
                        >
                          {t('queue.open')}
                        </Link>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
    </div>
  );
}
