/**
 * One case for a caseworker: the decision panel for the agency's steps (approve with outputs,
 * reject with a coded reason, request information naming fields), the workflow diagram, the form
 * with masked ID numbers (reveal asks for a reason and is audited), progress and event history.
 */

import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, errorText } from '../../api.ts';
import { type Catalog, stepOf, useCatalog } from '../../catalog.ts';
import { Alerts } from '../../components/Alerts.tsx';
import { ApplicationFacts } from '../../components/ApplicationFacts.tsx';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { FieldInput, fieldId } from '../../components/Field.tsx';
import { FiledBy } from '../../components/FiledBy.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ScrollRegion } from '../../components/ScrollRegion.tsx';
import { SlaBadge, StepBadge, slaState } from '../../components/Status.tsx';
import { fieldLabel, Timeline } from '../../components/Timeline.tsx';
import { WorkflowDiagram } from '../../components/WorkflowDiagram.tsx';
import { displayValue } from '../../forms/display.ts';
import { outputHelp, outputLabels, type Values } from '../../forms/hints.ts';
import { buildModel, type FormModel, getPath } from '../../forms/model.ts';
import { type Errors, validateField } from '../../forms/validate.ts';
import { isStringKey, type Text, useI18n } from '../../i18n.tsx';
import { Link } from '../../router.tsx';
import { consoleModule } from '../../services/registry.ts';
import { useSession } from '../../session.ts';
import { anyStatusLabel } from '../../status.ts';
import type { ApplicationView, DomainEvent, StepInfo, StepStatus, StepView } from '../../types.ts';
import { readStash, stashKey, writeStash } from '../../unsaved.ts';

export function CaseView({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, tx, dt } = i18n;
  const { catalog } = useCatalog();
  const session = useSession();
  const me = session?.user;
  const [app, setApp] = useState<ApplicationView | null>(null);
  const [events, setEvents] = useState<DomainEvent[]>([]);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const [revealing, setRevealingState] = useState<string | null>(null);
  const revealTrigger = useRef<HTMLElement | null>(null);
  // the dialog hands focus back to the button that opened it (or the form heading once revealed)
  const setRevealing = (path: string | null) => {
    if (path) revealTrigger.current = document.activeElement as HTMLElement | null;
    setRevealingState(path);
    if (!path) {
      window.setTimeout(() => {
        const back = revealTrigger.current?.isConnected
          ? revealTrigger.current
          : document.getElementById('form-title');
        back?.focus();
      }, 0);
    }
  };

  const load = useCallback(async () => {
    try {
      const [a, e] = await Promise.all([
        api<ApplicationView>(`/applications/${id}`),
        api<{ items: DomainEvent[] }>(`/applications/${id}/events`),
      ]);
      setApp(a);
      setEvents(e.items);
    } catch (err) {
      setError(errorText(err));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  const svc = catalog && app ? catalog.services.find((s) => s.id === app.service) : undefined;
  const model = useMemo(() => (svc ? buildModel(svc) : null), [svc]);
  const mySteps = app?.steps.filter((s) => s.agency === me?.agency && s.kind === 'human') ?? [];
  const statuses = Object.fromEntries(app?.steps.map((s) => [s.step, s.status]) ?? []) as Record<
    string,
    StepStatus
  >;

  const claim = async (step: string, action: 'claim' | 'unclaim') => {
    setError('');
    try {
      setApp(
        await api<ApplicationView>(`/applications/${id}/steps/${step}/${action}`, {
          method: 'POST',
          body: {},
        }),
      );
      setNotice(t(action === 'claim' ? 'case.claimed' : 'case.unclaimed'));
      void load();
    } catch (err) {
      setError(errorText(err));
    }
  };
  // the service module's own panels (a waitlist, documents)
  const CasePanels = app ? consoleModule(app.service).CasePanels : undefined;

  return (
    <div>
      <PageTitle sub={svc ? tx(svc.title) : undefined}>{app?.label ?? t('case.title')}</PageTitle>
      <p>
        <Link to="/caseworker">← {t('queue.title')}</Link>
      </p>
      <Alerts notice={notice} error={error} />
      {!app && !error ? <p role="status">{t('loading')}</p> : null}
      {app && catalog && model && svc ? (
        <div className="case-grid">
          <section aria-labelledby="wf-title" className="card case-wide">
            <h2 id="wf-title">{t('wf.title')}</h2>
            <WorkflowDiagram steps={svc.steps} statuses={statuses} title={t('wf.title')} />
          </section>
          <div className="case-main">
            <section className="card summary-card" aria-labelledby="case-overview">
              <h2 id="case-overview" className="h3">
                {t('detail.overview')}
              </h2>
              <ApplicationFacts app={app} />
              <FiledBy app={app} />
            </section>
            {CasePanels ? <CasePanels app={app} /> : null}

            {mySteps.map((s) => (
              <section key={s.step} className="card decision" aria-labelledby={`decide-${s.step}`}>
                <div className="review-head">
                  <h2 id={`decide-${s.step}`}>
                    {t('case.myStep')}：{tx(s.title)}
                  </h2>
                  <span>
                    <StepBadge status={s.status} />{' '}
                    {s.dueAt && (s.status === 'open' || s.status === 'claimed') ? (
                      <SlaBadge state={slaState(s)} />
                    ) : null}
                  </span>
                </div>
                {s.dueAt && !s.decidedAt ? (
                  <p className="muted">
                    {t('timeline.due')}：{dt(s.dueAt)}
                  </p>
                ) : null}
                {s.status === 'open' ? (
                  <>
                    <p>{t('case.claimFirst')}</p>
                    <button type="button" className="button" onClick={() => void claim(s.step, 'claim')}>
                      {t('queue.claim')}
                    </button>
                  </>
                ) : null}
                {s.status === 'claimed' && s.assignee === me?.sub ? (
                  <>
                    <DecisionPanel
                      app={app}
                      step={s}
                      info={stepOf(catalog, app.service, s.step)}
                      model={model}
                      onDone={(next, msg) => {
                        setApp(next);
                        setNotice(msg);
                        void load();
                      }}
                    />
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => void claim(s.step, 'unclaim')}
                    >
                      {t('queue.unclaim')}
                    </button>
                  </>
                ) : null}
                {s.status === 'claimed' && s.assignee !== me?.sub ? <p>{t('queue.claimedByOther')}</p> : null}
                {s.status === 'info-requested' ? <p>{t('case.waitingParent')}</p> : null}
                {s.status === 'pending' ? <p>{t('case.pending')}</p> : null}
              </section>
            ))}

            <section aria-labelledby="form-title" className="card">
              <h2 id="form-title" tabIndex={-1}>
                {t('case.form')}
              </h2>
              {model.sections
                .filter((sec) => sec.fields.some((f) => getPath(app.form, f.path) !== undefined))
                .map((sec) => (
                  <div key={sec.key} className="review-section">
                    <h3>{tx(sec.title)}</h3>
                    <dl className="kv">
                      {sec.fields
                        .filter((f) => getPath(app.form, f.path) !== undefined)
                        .map((f) => {
                          const raw = getPath(app.form, f.path);
                          const clear = revealed[f.path];
                          return (
                            <div key={f.path}>
                              <dt>{tx(f.label)}</dt>
                              <dd className={f.sensitive ? 'mono' : undefined}>
                                {f.sensitive
                                  ? (clear ?? String(raw))
                                  : displayValue(f, raw, i18n, catalog.reference)}
                                {f.sensitive && !clear ? (
                                  <>
                                    {' '}
                                    <button
                                      type="button"
                                      className="link-button"
                                      onClick={() => setRevealing(f.path)}
                                      aria-label={`${t('reveal.action')}：${fieldLabel(model, f.path, tx)}`}
                                    >
                                      {t('reveal.action')}
                                    </button>
                                  </>
                                ) : null}
                                {clear ? (
                                  <span className="muted small"> （{t('reveal.audited')}）</span>
                                ) : null}
                              </dd>
                            </div>
                          );
                        })}
                    </dl>
                  </div>
                ))}
            </section>
          </div>

          <div className="case-side">
            <section aria-labelledby="steps-title" className="card">
              <h2 id="steps-title">{t('detail.progress')}</h2>
              <Timeline app={app} catalog={catalog} model={model} />
            </section>
          </div>

          <section aria-labelledby="events-title" className="card case-events">
            <h2 id="events-title">{t('events.title')}</h2>
            <EventTable events={events} catalog={catalog} service={app.service} model={model} />
          </section>
        </div>
      ) : null}
      {revealing && model ? (
        <RevealDialog
          label={fieldLabel(model, revealing, tx)}
          onCancel={() => setRevealing(null)}
          onReveal={async (reason) => {
            const r = await api<{ path: string; value: string }>(`/applications/${id}/reveal`, {
              method: 'POST',
              body: { path: revealing, reason },
            });
            setRevealed((x) => ({ ...x, [r.path]: r.value }));
            setRevealing(null);
            setNotice(t('reveal.done'));
            void load();
          }}
        />
      ) : null}
    </div>
  );
}

function RevealDialog({
  label,
  onCancel,
  onReveal,
}: {
  label: string;
  onCancel(): void;
  onReveal(reason: string): Promise<void>;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim().length < 2) {
      setError(t('reveal.reasonRequired'));
      return;
    }
    setBusy(true);
    try {
      await onReveal(reason.trim());
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="reveal-title" onCancel={onCancel}>
      <form onSubmit={submit} noValidate>
        <h2 id="reveal-title">
          {t('reveal.title')}：{label}
        </h2>
        <p>{t('reveal.lead')}</p>
        <div className={`field${error ? ' has-error' : ''}`}>
          <label htmlFor="reveal-reason">{t('reveal.reason')}</label>
          <textarea
            id="reveal-reason"
            value={reason}
            rows={3}
            maxLength={300}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'reveal-error' : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
          {error ? (
            <p className="field-error" id="reveal-error">
              ⚠ {error}
            </p>
          ) : null}
        </div>
        <div className="button-row">
          <button type="button" className="button secondary" onClick={onCancel}>
            {t('cancel')}
          </button>
          <button type="submit" className="button" disabled={busy}>
            {t('reveal.confirm')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

const DECISIONS = ['approve', 'reject', 'request-info'] as const;
type Decision = (typeof DECISIONS)[number];

/** A decision being written, kept until it is sent (web/src/unsaved.ts): it outlives a sign-in. */
interface UnsentDecision {
  decision: Decision;
  values: Values;
  reason: string;
  note: string;
  fields: string[];
}

function DecisionPanel({
  app,
  step,
  info,
  model,
  onDone,
}: {
  app: ApplicationView;
  step: StepView;
  info: StepInfo | undefined;
  model: FormModel;
  onDone(app: ApplicationView, message: string): void;
}) {
  const { t, tx } = useI18n();
  const sub = useSession()?.user.sub ?? '';
  const unsentKey = stashKey(sub, 'case', app.id, step.step);
  const [unsent] = useState(() => readStash<Partial<UnsentDecision>>(unsentKey));
  const [decision, setDecision] = useState<Decision>(
    unsent?.decision && DECISIONS.includes(unsent.decision) ? unsent.decision : 'approve',
  );
  const [values, setValues] = useState<Values>(unsent?.values ?? {});
  const [reason, setReason] = useState(typeof unsent?.reason === 'string' ? unsent.reason : '');
  const [note, setNote] = useState(typeof unsent?.note === 'string' ? unsent.note : '');
  const [fields, setFields] = useState<string[]>(Array.isArray(unsent?.fields) ? unsent.fields : []);
  // what is typed is kept as it is typed, and forgotten once the decision is recorded
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return;
    const blank =
      decision === 'approve' && !Object.values(values).some((v) => String(v ?? '').trim()) && !note.trim();
    writeStash(unsentKey, blank ? null : { decision, values, reason, note, fields });
  }, [unsentKey, decision, values, reason, note, fields]);
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState('');
  const [summaryKey, setSummaryKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const prefix = `d-${step.step}`;

  // approval through the module's own action, which computes the outputs (e.g. an aid standard)
  const via = info?.computedOutputs
    ? consoleModule(app.service).computedApproval?.(app.id, step.step)
    : undefined;
  // the step's outputs as a small generated form (labels from hints)
  const outputs = useMemo(() => {
    if (!info?.outputs?.properties || info.computedOutputs) return null;
    const hints = {
      fields: Object.fromEntries(
        Object.keys(info.outputs.properties).map((k) => [
          `outputs.${k}`,
          { label: outputLabels[k], help: outputHelp[k] },
        ]),
      ),
    };
    return buildModel(
      {
        id: `outputs:${step.step}`,
        form: { type: 'object', properties: { outputs: info.outputs }, required: ['outputs'] },
        sensitivePaths: [],
        steps: [],
      },
      hints,
    );
  }, [info, step.step]);

  const reasons = Object.entries(info?.rejectReasons ?? {});
  const choosable = model.sections.flatMap((s) =>
    s.fields.filter((f) => getPath(app.form, f.path) !== undefined).map((f) => ({ section: s, field: f })),
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Errors = {};
    const req: Text = { 'zh-CN': '此项为必填项', en: 'This field is required' };
    if (decision === 'approve' && outputs) {
      for (const f of outputs.fields) {
        const err = validateField(outputs, f, { values, toggles: {} });
        if (err) errs[f.path] = err;
      }
    }
    if (decision === 'reject') {
      if (!reason) errs[`${prefix}-reason`] = { 'zh-CN': '请选择退回原因', en: 'Choose a reason' };
      if (reason === 'other' && !note.trim()) errs[`${prefix}-note`] = req;
    }
    if (decision === 'request-info' && fields.length === 0) {
      errs[`${prefix}-fields`] = { 'zh-CN': '请选择需要补正的字段', en: 'Choose the fields to correct' };
    }
    setErrors(errs);
    setGeneral('');
    if (Object.keys(errs).length) {
      setSummaryKey((k) => k + 1);
      return;
    }
    const body: Record<string, unknown> = { decision };
    if (decision === 'approve' && outputs) {
      body.outputs = Object.fromEntries(
        outputs.fields.map((f) => [f.key, String(values[f.path] ?? '').trim()]).filter(([, v]) => v !== ''),
      );
    }
    if (decision === 'reject') body.reason = reason;
    if (decision === 'request-info') body.fields = fields;
    if (note.trim() && (decision !== 'approve' || via)) body.note = note.trim();
    setBusy(true);
    try {
      const next =
        decision === 'approve' && via
          ? (
              await api<{ application: ApplicationView }>(via, {
                method: 'POST',
                body: body.note ? { note: body.note } : {},
              })
            ).application
          : await api<ApplicationView>(`/applications/${app.id}/steps/${step.step}/decision`, {
              method: 'POST',
              body,
            });
      sent.current = true;
      writeStash(unsentKey, null);
      onDone(next, t(`case.decided.${decision}`));
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.fields.length) {
        const mapped: Errors = {};
        const rest: string[] = [];
        for (const f of err.fields) {
          const msg: Text = f.messages ?? { 'zh-CN': f.message, en: f.message };
          if (outputs?.fields.some((x) => x.path === f.path)) mapped[f.path] = msg;
          else if (f.path === 'reason') mapped[`${prefix}-reason`] = msg;
          else if (f.path === 'note') mapped[`${prefix}-note`] = msg;
          else if (f.path.startsWith('fields')) mapped[`${prefix}-fields`] = msg;
          else rest.push(tx(msg));
        }
        setErrors(mapped);
        setGeneral(rest.join('；'));
      } else setGeneral(errorText(err));
      setSummaryKey((k) => k + 1);
    }
  };

  const labelOfError = (key: string) => {
    const f = outputs?.fields.find((x) => x.path === key);
    if (f) return tx(f.label);
    if (key.endsWith('-reason')) return t('decision.reason');
    if (key.endsWith('-note')) return t('decision.note');
    if (key.endsWith('-fields')) return t('decision.fields');
    return '';
  };
  const targetOf = (key: string) => (outputs?.fields.some((x) => x.path === key) ? fieldId(key) : key);
  const err = (key: string) =>
    errors[key] ? (
      <p className="field-error" id={`${key}-error`}>
        ⚠ {tx(errors[key])}
      </p>
    ) : null;

  return (
    <form onSubmit={submit} noValidate className="decision-form">
      <ErrorSummary
        items={[
          ...Object.entries(errors).map(([k, m]) => ({
            key: k,
            label: labelOfError(k),
            message: tx(m),
            target: targetOf(k),
          })),
          ...(general ? [{ key: '_g', label: '', message: general }] : []),
        ]}
        focusKey={summaryKey}
      />
      <fieldset className="field group">
        <legend>{t('decision.title')}</legend>
        <div className="choices">
          {DECISIONS.map((d) => (
            <label key={d} className="choice" htmlFor={`${prefix}-${d}`}>
              <input
                id={`${prefix}-${d}`}
                type="radio"
                name={`${prefix}-decision`}
                value={d}
                checked={decision === d}
                onChange={() => {
                  setDecision(d);
                  setErrors({});
                }}
              />
              <span>{t(`decision.${d}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {decision === 'approve' && via ? (
        <p className="alert info" data-testid="approve-via">
          {t('decision.viaStandard')}
        </p>
      ) : null}
      {decision === 'approve' && outputs
        ? outputs.fields.map((f) => (
            <FieldInput
              key={f.path}
              field={f}
              value={values[f.path]}
              error={errors[f.path] ?? null}
              required={f.required}
              onChange={(v) => {
                setValues((x) => ({ ...x, [f.path]: v }));
                if (errors[f.path]) {
                  const e2 = validateField(outputs, f, { values: { ...values, [f.path]: v }, toggles: {} });
                  setErrors(({ [f.path]: _, ...rest }) => (e2 ? { ...rest, [f.path]: e2 } : rest));
                }
              }}
              onBlur={() => {
                const e2 = values[f.path] ? validateField(outputs, f, { values, toggles: {} }) : null;
                setErrors(({ [f.path]: _, ...rest }) => (e2 ? { ...rest, [f.path]: e2 } : rest));
              }}
            />
          ))
        : null}
      {decision === 'reject' ? (
        <div className={`field${errors[`${prefix}-reason`] ? ' has-error' : ''}`}>
          <label htmlFor={`${prefix}-reason`}>{t('decision.reason')}</label>
          <select
            id={`${prefix}-reason`}
            value={reason}
            aria-invalid={errors[`${prefix}-reason`] ? true : undefined}
            aria-describedby={errors[`${prefix}-reason`] ? `${prefix}-reason-error` : undefined}
            onChange={(e) => setReason(e.target.value)}
          >
            <option value="">{t('choose')}</option>
            {reasons.map(([code, text]) => (
              <option key={code} value={code}>
                {tx(text)}
              </option>
            ))}
            <option value="other">{t('decision.other')}</option>
          </select>
          {err(`${prefix}-reason`)}
        </div>
      ) : null}
      {decision === 'request-info' ? (
        <fieldset
          className={`field group${errors[`${prefix}-fields`] ? ' has-error' : ''}`}
          id={`${prefix}-fields`}
          tabIndex={-1}
          aria-describedby={errors[`${prefix}-fields`] ? `${prefix}-fields-error` : undefined}
        >
          <legend>{t('decision.fields')}</legend>
          <div className="field-picker">
            {model.sections
              .filter((s) => choosable.some((c) => c.section === s))
              .map((s) => (
                <div key={s.key} className="picker-group">
                  <p className="picker-title">{tx(s.title)}</p>
                  {choosable
                    .filter((c) => c.section === s)
                    .map(({ field }) => (
                      <label key={field.path} className="choice" htmlFor={`${prefix}-f-${field.path}`}>
                        <input
                          id={`${prefix}-f-${field.path}`}
                          type="checkbox"
                          checked={fields.includes(field.path)}
                          onChange={(e) =>
                            setFields((x) =>
                              e.target.checked ? [...x, field.path] : x.filter((p) => p !== field.path),
                            )
                          }
                        />
                        <span>
                          <span className="visually-hidden">{tx(s.title)} · </span>
                          {tx(field.label)}
                        </span>
                      </label>
                    ))}
                </div>
              ))}
          </div>
          {err(`${prefix}-fields`)}
        </fieldset>
      ) : null}
      {decision !== 'approve' || via ? (
        <div className={`field${errors[`${prefix}-note`] ? ' has-error' : ''}`}>
          <label htmlFor={`${prefix}-note`}>
            {t(decision === 'request-info' ? 'decision.noteToParent' : 'decision.note')}
            {decision === 'reject' && reason !== 'other' ? (
              <span className="optional"> （{t('optional')}）</span>
            ) : null}
          </label>
          <textarea
            id={`${prefix}-note`}
            rows={3}
            maxLength={1000}
            value={note}
            aria-invalid={errors[`${prefix}-note`] ? true : undefined}
            aria-describedby={errors[`${prefix}-note`] ? `${prefix}-note-error` : undefined}
            onChange={(e) => setNote(e.target.value)}
          />
          {err(`${prefix}-note`)}
        </div>
      ) : null}
      <button type="submit" className={`button${decision === 'reject' ? ' danger' : ''}`} disabled={busy}>
        {t(`decision.submit.${decision}`)}
      </button>
    </form>
  );
}

function EventTable({
  events,
  catalog,
  service,
  model,
}: {
  events: DomainEvent[];
  catalog: Catalog;
  service: string;
  model: FormModel;
}) {
  const { t, tx, dt } = useI18n();
  if (!events.length) return <p>{t('events.none')}</p>;
  const auto = (e: DomainEvent) => !!e.step && stepOf(catalog, service, e.step)?.kind === 'auto';
  const actorText = (e: DomainEvent) =>
    e.actor.role === 'system' || auto(e)
      ? t('events.system')
      : e.actor.role === 'parent'
        ? t('events.applicant')
        : e.actor.sub;
  const detail = (e: DomainEvent) => {
    const parts: string[] = [];
    if (e.from || e.to) {
      const st = (s?: string) => (s ? tx(anyStatusLabel(s)) : '');
      parts.push(`${st(e.from)} → ${st(e.to)}`);
    }
    if (e.reason && e.type !== 'id-revealed') {
      const coded = e.step ? stepOf(catalog, service, e.step)?.rejectReasons?.[e.reason] : undefined;
      parts.push(coded ? tx(coded) : e.reason);
    }
    const path = e.data?.path;
    if (typeof path === 'string') parts.push(fieldLabel(model, path, tx));
    const fields = e.data?.fields;
    if (Array.isArray(fields)) parts.push(fields.map((f) => fieldLabel(model, String(f), tx)).join('、'));
    if (e.note) parts.push(e.note);
    return parts.join('；');
  };
  return (
    <ScrollRegion className="table-wrap" label={t('events.title')}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('events.time')}</th>
            <th scope="col">{t('events.type')}</th>
            <th scope="col">{t('queue.step')}</th>
            <th scope="col">{t('events.actor')}</th>
            <th scope="col">{t('events.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.eventId}>
              <td>{dt(e.at)}</td>
              <td>{isStringKey(`event.${e.type}`) ? t(`event.${e.type}` as 'event.submitted') : e.type}</td>
              <td>{e.step ? tx(stepOf(catalog, service, e.step)?.title) || e.step : ''}</td>
              <td>{actorText(e)}</td>
              <td>{detail(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
