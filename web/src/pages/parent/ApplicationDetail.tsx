/**
 * One application for its parent: per-agency progress, and the answer to a request for more
 * information (only the named fields are editable; the full corrected form is resubmitted).
 */

import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, api, errorText } from '../../api.ts';
import { useCatalog } from '../../catalog.ts';
import { ApplicationFacts } from '../../components/ApplicationFacts.tsx';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { FieldInput, fieldId } from '../../components/Field.tsx';
import { FiledBy } from '../../components/FiledBy.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { RatingPanel } from '../../components/RatingPanel.tsx';
import { fieldLabel, Timeline } from '../../components/Timeline.tsx';
import { saveSubmittedCopy, submittedCopy } from '../../forms/drafts.ts';
import type { Values } from '../../forms/hints.ts';
import { isMasked, matchesMask } from '../../forms/id-number.ts';
import {
  buildModel,
  type FieldModel,
  type FormModel,
  getPath,
  setPath,
  valuesFromForm,
} from '../../forms/model.ts';
import {
  coerce,
  crossErrors,
  type Errors,
  fieldShown,
  messages,
  validateField,
} from '../../forms/validate.ts';
import { type Text, useI18n } from '../../i18n.tsx';
import { Link, useLocation } from '../../router.tsx';
import { consoleModule } from '../../services/registry.ts';
import { useSession } from '../../session.ts';
import type { ApplicationView } from '../../types.ts';
import { useCitizenBase } from './citizen.ts';

export function ApplicationDetail({ id }: { id: string }) {
  const { t, tx } = useI18n();
  const { catalog } = useCatalog();
  const home = useCitizenBase();
  // an agent follows what they filed; answering, withdrawing and rating are the family's
  const family = home === '/parent';
  const { query } = useLocation();
  const [app, setApp] = useState<ApplicationView | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState(query.get('submitted') ? t('detail.submitted') : '');
  const load = useCallback(
    () =>
      api<ApplicationView>(`/applications/${id}`).then(setApp, (err: unknown) => setError(errorText(err))),
    [id],
  );
  useEffect(() => {
    void load();
  }, [load]);
  const svc = catalog && app ? catalog.services.find((s) => s.id === app.service) : undefined;
  const model = useMemo(() => (svc ? buildModel(svc) : null), [svc]);

  const withdraw = async () => {
    if (!window.confirm(t('detail.confirmWithdraw'))) return;
    try {
      setApp(await api<ApplicationView>(`/applications/${id}/withdraw`, { method: 'POST', body: {} }));
      setNotice(t('detail.withdrawn'));
    } catch (err) {
      setError(errorText(err));
    }
  };
  // the service module's own panels (an offer to answer, a waitlist, documents, an aid plan)
  const ParentPanels = app ? consoleModule(app.service).ParentPanels : undefined;

  return (
    <div>
      <PageTitle sub={svc ? tx(svc.title) : undefined}>{app?.label ?? t('detail.title')}</PageTitle>
      <p>
        <Link to={`${home}/applications`}>← {t(family ? 'mine.title' : 'agent.mineTitle')}</Link>
      </p>
      {notice ? (
        <p className="alert success" role="status">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      {!app && !error ? <p role="status">{t('loading')}</p> : null}
      {app && catalog ? (
        <>
          <section className="card summary-card" aria-labelledby="overview">
            <h2 id="overview" className="visually-hidden">
              {t('detail.overview')}
            </h2>
            <ApplicationFacts app={app} />
            <FiledBy app={app} />
          </section>
          {family ? null : (
            <p className="alert info" role="note">
              {t('agent.readOnly')}
            </p>
          )}
          {family && app.status === 'info-requested' && model ? (
            <Resubmit
              app={app}
              model={model}
              onDone={(next) => {
                setApp(next);
                setNotice(t('resubmit.done'));
              }}
            />
          ) : null}
          {family && ParentPanels ? (
            <ParentPanels
              app={app}
              onChange={(next: ApplicationView, notice?: string) => {
                setApp(next);
                if (notice) setNotice(notice);
              }}
            />
          ) : null}
          {family && ['completed', 'partially-completed', 'rejected', 'withdrawn'].includes(app.status) ? (
            <RatingPanel appId={app.id} />
          ) : null}
          <section aria-labelledby="progress-title">
            <h2 id="progress-title">{t('detail.progress')}</h2>
            <Timeline app={app} catalog={catalog} model={model} />
          </section>
          {family && (app.status === 'in-progress' || app.status === 'info-requested') ? (
            <p>
              <button type="button" className="button secondary" onClick={() => void withdraw()}>
                {t('detail.withdraw')}
              </button>
            </p>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

function Resubmit({
  app,
  model,
  onDone,
}: {
  app: ApplicationView;
  model: FormModel;
  onDone(app: ApplicationView): void;
}) {
  const { t, tx } = useI18n();
  const { catalog } = useCatalog();
  const session = useSession();
  const sub = session?.user.sub ?? '';
  const asking = app.steps.filter((s) => s.status === 'info-requested');
  const requested = [...new Set(asking.flatMap((s) => s.infoFields ?? []))];
  const requestedKey = requested.join(',');
  const covers = useCallback(
    (path: string) => requestedKey.split(',').some((r) => r && (path === r || path.startsWith(`${r}.`))),
    [requestedKey],
  );

  // The parent's own unmasked copy, if this browser submitted the application and it still matches.
  const base = useMemo(() => {
    const copy = submittedCopy(sub, app.id);
    const ok =
      copy &&
      model.service.sensitivePaths.every((p) => {
        const masked = getPath(app.form, p);
        const own = getPath(copy, p);
        return masked === undefined
          ? own === undefined
          : typeof own === 'string' && isMasked(masked) && matchesMask(own, masked);
      });
    return structuredClone(ok ? copy : app.form) as Record<string, unknown>;
  }, [sub, app.id, app.form, model.service.sensitivePaths]);

  const editable = model.fields.filter((f) => covers(f.path));
  // masked ID numbers we do not have in clear: the parent types them again (they must match)
  const reenter = model.fields.filter(
    (f) => f.sensitive && isMasked(getPath(base, f.path)) && !covers(f.path),
  );
  const [values, setValues] = useState<Values>(() => {
    const v = valuesFromForm(model, base);
    for (const f of model.fields) if (f.sensitive && isMasked(getPath(base, f.path))) v[f.path] = '';
    return v;
  });
  const toggles = useMemo(() => {
    const out: Record<string, boolean> = {};
    for (const s of model.sections) if (s.toggle) out[s.key] = base[s.key] !== undefined || covers(s.key);
    return out;
  }, [base, model.sections, covers]);
  const [errors, setErrors] = useState<Errors>({});
  const [summaryKey, setSummaryKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState('');

  const check = (f: FieldModel, v: Values): Text | null => {
    const state = { values: v, toggles };
    if (reenter.includes(f)) {
      const raw = v[f.path];
      const masked = getPath(base, f.path) as string;
      if (typeof raw !== 'string' || !raw.trim()) return messages.required;
      const e = validateField(model, f, state);
      if (e) return e;
      return matchesMask(raw, masked)
        ? null
        : { 'zh-CN': `与原号码 ${masked} 不一致`, en: `Does not match the number on file, ${masked}` };
    }
    return validateField(model, f, state) ?? crossErrors(model, state)[f.path] ?? null;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Errors = {};
    for (const f of [...editable, ...reenter]) {
      if (!fieldShown(model, f, values)) continue;
      const err = check(f, values);
      if (err) errs[f.path] = err;
    }
    setErrors(errs);
    setGeneral('');
    if (Object.keys(errs).length) {
      setSummaryKey((k) => k + 1);
      return;
    }
    const form = structuredClone(base);
    for (const f of [...editable, ...reenter]) {
      const raw = values[f.path];
      const shown = fieldShown(model, f, values);
      if (!shown || raw === undefined || (typeof raw === 'string' && !raw.trim())) {
        // an emptied optional field is removed
        const parent = f.path.split('.').slice(0, -1).join('.');
        const owner = parent ? (getPath(form, parent) as Record<string, unknown> | undefined) : form;
        if (owner && typeof owner === 'object') delete owner[f.key];
        continue;
      }
      setPath(form, f.path, coerce(f, raw));
    }
    setBusy(true);
    try {
      const next = await api<ApplicationView>(`/applications/${app.id}/resubmit`, {
        method: 'POST',
        body: { form },
      });
      saveSubmittedCopy(sub, app.id, form);
      onDone(next);
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        const mapped: Errors = {};
        const rest: string[] = [];
        for (const f of err.fields) {
          const path = f.path.replace(/^form\.?/, '');
          const msg: Text = f.messages ?? { 'zh-CN': f.message, en: f.message };
          if (model.fields.some((x) => x.path === path)) mapped[path] = msg;
          else rest.push(tx(msg));
        }
        setErrors(mapped);
        setGeneral(rest.join('；'));
      } else setGeneral(errorText(err));
      setSummaryKey((k) => k + 1);
    } finally {
      setBusy(false);
    }
  };

  const items = [
    ...Object.entries(errors).map(([path, msg]) => ({
      key: path,
      label: fieldLabel(model, path, tx),
      message: tx(msg),
      target: fieldId(path),
    })),
    ...(general ? [{ key: '_general', label: '', message: general }] : []),
  ];

  return (
    <section className="card resubmit" aria-labelledby="resubmit-title">
      <h2 id="resubmit-title">{t('resubmit.title')}</h2>
      {asking.map((s) => (
        <div key={s.step} className="alert warn">
          <p>
            <strong>{tx(s.title)}</strong>
            {s.infoNote ? `：${s.infoNote}` : ''}
          </p>
          <p>
            {t('timeline.infoFields')}
            {(s.infoFields ?? []).map((f) => fieldLabel(model, f, tx)).join('、')}
          </p>
        </div>
      ))}
      <form onSubmit={submit} noValidate>
        <ErrorSummary items={items} focusKey={summaryKey} />
        {editable
          .filter((f) => fieldShown(model, f, values))
          .map((f) => (
            <FieldInput
              key={f.path}
              field={f}
              value={values[f.path]}
              error={errors[f.path] ?? null}
              required={f.required || !!model.hints.fieldWhen?.[f.path]}
              reference={catalog?.reference}
              extraHelp={
                f.sensitive && isMasked(getPath(base, f.path))
                  ? t('resubmit.reenterHelp', { masked: String(getPath(base, f.path)) })
                  : undefined
              }
              onChange={(v) => {
                const nv = { ...values, [f.path]: v };
                setValues(nv);
                if (errors[f.path]) {
                  const err = check(f, nv);
                  setErrors(({ [f.path]: _, ...rest }) => (err ? { ...rest, [f.path]: err } : rest));
                }
              }}
            />
          ))}
        {reenter.length ? (
          <fieldset className="field group">
            <legend>{t('resubmit.confirmIds')}</legend>
            <p className="help">{t('resubmit.confirmIdsHelp')}</p>
            {reenter.map((f) => (
              <FieldInput
                key={f.path}
                field={{
                  ...f,
                  label: {
                    'zh-CN': fieldLabel(model, f.path, (x) => x['zh-CN']),
                    en: fieldLabel(model, f.path, (x) => x.en),
                  },
                }}
                value={values[f.path]}
                error={errors[f.path] ?? null}
                required
                extraHelp={t('resubmit.reenterHelp', { masked: String(getPath(base, f.path)) })}
                onChange={(v) => setValues({ ...values, [f.path]: v })}
              />
            ))}
          </fieldset>
        ) : null}
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('apply.submitting') : t('resubmit.submit')}
        </button>
      </form>
    </section>
  );
}
