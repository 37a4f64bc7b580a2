/**
 * The application form, generated from the service's JSON Schema: one step per section, inline
 * errors as you type and on submit, a review page, and submission with the draft's id as the
 * Idempotency-Key. Drafts are saved to the parent's account as you go and resumable on any device.
 * Input not saved yet (a save that failed, an expired session) is also kept in this tab, ID
 * numbers excepted (web/src/unsaved.ts), and restored when the parent comes back from a sign-in.
 */
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, errorText } from '../../api.ts';
import { useCatalog } from '../../catalog.ts';
import { ErrorSummary, type SummaryItem } from '../../components/ErrorSummary.tsx';
import { FieldInput, fieldId } from '../../components/Field.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { displayValue } from '../../forms/display.ts';
import { type Draft, getDraft, markSubmitted, newDraft, saveDraft } from '../../forms/drafts.ts';
import type { Values } from '../../forms/hints.ts';
import {
  buildModel,
  type FieldModel,
  type FormModel,
  humanize,
  initialValues,
  type SectionModel,
} from '../../forms/model.ts';
import {
  buildPayload,
  crossErrors,
  type Errors,
  type FormState,
  fieldRequired,
  fieldShown,
  sectionEnabled,
  sectionOfPath,
  sectionShown,
  validateAll,
  validateField,
  validateSection,
} from '../../forms/validate.ts';
import { type Text, useI18n } from '../../i18n.tsx';
import { Link, navigate } from '../../router.tsx';
import { useSession } from '../../session.ts';
import type { ApplicationView } from '../../types.ts';
import { readStash, stashKey, writeStash } from '../../unsaved.ts';
import { UploadFailed } from '../../upload.ts';
import {
  AuthorisationPanel,
  type AuthorisationState,
  authorisationPayload,
  authorisationProblem,
  emptyAuthorisation,
} from './AuthorisationPanel.tsx';
import { useCitizenBase } from './citizen.ts';

const REVIEW = 'review';

export function Apply({ service, draftId }: { service: string; draftId: string | null }) {
  const { t, tx } = useI18n();
  const home = useCitizenBase();
  const { catalog, error } = useCatalog();
  const svc = catalog?.services.find((s) => s.id === service);
  const model = useMemo(() => (svc ? buildModel(svc) : null), [svc]);
  // a draft to resume is fetched first; a missing or expired one starts a new form with a notice
  const [loaded, setLoaded] = useState<{ id: string; draft?: Draft } | null>(null);
  const [loadError, setLoadError] = useState('');
  useEffect(() => {
    if (!draftId) return;
    let live = true;
    getDraft(service, draftId).then(
      (draft) => live && setLoaded({ id: draftId, draft }),
      (err) => live && setLoadError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [service, draftId]);
  if (error)
    return (
      <p className="alert error" role="alert">
        {errorText(error)}
      </p>
    );
  if (!catalog || (draftId && loaded?.id !== draftId && !loadError))
    return <p role="status">{t('loading')}</p>;
  if (!svc || !model)
    return (
      <div className="narrow">
        <PageTitle>{t('notFound')}</PageTitle>
        <Link to={home}>{t('backHome')}</Link>
      </div>
    );
  return (
    <>
      <PageTitle sub={svc.description ? tx(svc.description) : undefined}>{tx(svc.title)}</PageTitle>
      {loadError ? (
        <p className="alert error" role="alert">
          {loadError}
        </p>
      ) : null}
      {draftId && loaded && !loaded.draft ? (
        <p className="alert warn" role="status">
          {t('drafts.gone')}
        </p>
      ) : null}
      <Wizard model={model} initial={loaded?.draft} draftId={draftId} />
    </>
  );
}

type SaveState = 'idle' | 'saving' | 'saved' | 'failed' | 'conflict';

/** Input of a draft not saved yet, kept in the tab (web/src/unsaved.ts); never an ID number. */
interface UnsavedInput {
  draftId: string;
  values: Values;
  toggles: Record<string, boolean>;
  section: string;
}

/** The draft's values without the fields that hold ID numbers (they stay in the encrypted draft). */
function withoutIdNumbers(model: FormModel, values: Values): Values {
  const secret = new Set(
    model.fields.filter((f) => f.sensitive || f.widget === 'idNumber').map((f) => f.path),
  );
  return Object.fromEntries(Object.entries(values).filter(([path]) => !secret.has(path)));
}

function Wizard({
  model,
  initial,
  draftId,
}: {
  model: FormModel;
  initial: Draft | undefined;
  draftId: string | null;
}) {
  const i18n = useI18n();
  const { t, tx, dt } = i18n;
  const home = useCitizenBase();
  const { catalog } = useCatalog();
  const session = useSession();
  const sub = session?.user.sub ?? '';
  const unsavedKey = stashKey(sub, 'apply', model.service.id);
  // input of this draft (or of a draft never saved) that did not reach the server before a sign-in
  const [unsaved] = useState(() => {
    const u = readStash<UnsavedInput>(unsavedKey);
    return u && typeof u.draftId === 'string' && (!draftId || u.draftId === draftId) ? u : null;
  });
  const [draft, setDraft] = useState<Draft>(() => {
    const base =
      initial && initial.service === model.service.id
        ? initial
        : newDraft(model.service.id, initialValues(model));
    if (!unsaved) return base;
    return {
      ...base,
      id: unsaved.draftId,
      values: { ...base.values, ...withoutIdNumbers(model, unsaved.values ?? {}) },
      toggles: { ...base.toggles, ...unsaved.toggles },
      section: typeof unsaved.section === 'string' ? unsaved.section : base.section,
    };
  });
  const [resumed, setResumed] = useState(!!initial || !!unsaved);
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [errors, setErrors] = useState<Errors>({});
  const [serverErrors, setServerErrors] = useState<Errors>({});
  const [summaryKey, setSummaryKey] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  // an agent filing for a family gives the guardian's authorisation (代办)
  const asAgent = home === '/agent';
  const [authorisation, setAuthorisation] = useState<AuthorisationState>(emptyAuthorisation);
  const [authorisationError, setAuthorisationError] = useState('');
  const [savedAt, setSavedAt] = useState<string | null>(initial ? initial.updatedAt : null);
  const [saveState, setSaveState] = useState<SaveState>('idle');
  // saves go one at a time; the version of the last successful save is the base of the next
  const saving = useRef<{ busy: boolean; version: number; next: Draft | null }>({
    busy: false,
    version: initial?.version ?? 0,
    next: null,
  });
  const [pendingFocus, setPendingFocus] = useState<string | null>(null);
  // restored input is saved to the server as soon as the form is back
  const dirty = useRef(!!unsaved);
  const latest = useRef(draft);
  latest.current = draft;
  /** the latest change not sent yet, and whether this form is still on screen */
  const pending = useRef<Draft | null>(null);
  const mounted = useRef(true);

  const state: FormState = { values: draft.values, toggles: draft.toggles };
  const visible = model.sections.filter((s) => sectionShown(model, s, draft.values));
  const currentKey =
    draft.section === REVIEW
      ? REVIEW
      : (visible.find((s) => s.key === draft.section)?.key ?? visible[0]?.key ?? REVIEW);
  const index = currentKey === REVIEW ? visible.length : visible.findIndex((s) => s.key === currentKey);
  const section = visible[index];

  // autosave to the server, and put the draft id in the address so a reload resumes it
  const persist = async (d: Draft, keepalive = false) => {
    const s = saving.current;
    if (pending.current === d) pending.current = null;
    if (s.busy) {
      s.next = d;
      return;
    }
    s.busy = true;
    setSaveState('saving');
    try {
      const saved = await saveDraft({ ...d, version: s.version }, { keepalive });
      s.version = saved.version;
      // the server holds it now (encrypted): the tab's copy of the input is no longer needed
      if (latest.current === d) writeStash(unsavedKey, null);
      setSavedAt(saved.updatedAt);
      setSaveState('saved');
      const url = `${home}/apply/${model.service.id}?draft=${d.id}`;
      if (mounted.current && location.pathname + location.search !== url) history.replaceState(null, '', url);
    } catch (err) {
      setSaveState(err instanceof ApiError && err.status === 409 ? 'conflict' : 'failed');
      s.next = null;
      return;
    } finally {
      s.busy = false;
    }
    const next = s.next;
    s.next = null;
    if (next) await persist(next);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: a save follows each change of the draft only; persist keeps its state in a ref
  useEffect(() => {
    if (!dirty.current || saveState === 'conflict') return;
    writeStash(unsavedKey, {
      draftId: draft.id,
      values: withoutIdNumbers(model, draft.values),
      toggles: draft.toggles,
      section: draft.section,
    } satisfies UnsavedInput);
    pending.current = draft;
    const handle = window.setTimeout(() => void persist(draft), 600);
    return () => window.clearTimeout(handle);
  }, [draft]);
  // a change not saved yet is saved when the parent leaves the form or closes the tab
  const persistRef = useRef(persist);
  persistRef.current = persist;
  useEffect(() => {
    mounted.current = true;
    const flush = () => {
      if (pending.current) void persistRef.current(pending.current, true);
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      mounted.current = false;
      flush();
    };
  }, []);

  useEffect(() => {
    if (!pendingFocus) return;
    const el = document.getElementById(pendingFocus);
    const target = el?.tagName === 'FIELDSET' ? (el.querySelector('input') ?? el) : el;
    (target as HTMLElement | null)?.focus();
    setPendingFocus(null);
  }, [pendingFocus]);

  const update = (patch: Partial<Draft>) => {
    dirty.current = true;
    setDraft((d) => ({ ...d, ...patch }));
  };

  const errorFor = (path: string, values: Values, toggles = draft.toggles): Text | null => {
    const field = model.fields.find((f) => f.path === path);
    const st = { values, toggles };
    return (field ? validateField(model, field, st) : null) ?? crossErrors(model, st)[path] ?? null;
  };

  const onChange = (field: FieldModel, value: string | string[]) => {
    const values = { ...draft.values, [field.path]: value };
    update({ values });
    setServerErrors(({ [field.path]: _, ...rest }) => rest);
    const live =
      touched.has(field.path) ||
      errors[field.path] ||
      field.widget === 'radio' ||
      field.widget === 'checkboxes' ||
      field.widget === 'select' ||
      (field.widget === 'idNumber' && typeof value === 'string' && value.trim().length >= 18);
    if (live) {
      const e = errorFor(field.path, values);
      setErrors(({ [field.path]: _, ...rest }) => (e ? { ...rest, [field.path]: e } : rest));
    }
  };

  const onBlur = (field: FieldModel) => {
    setTouched((s) => new Set(s).add(field.path));
    const value = draft.values[field.path];
    if (value === undefined || (typeof value === 'string' && value === '' && !errors[field.path])) return;
    const e = errorFor(field.path, draft.values);
    setErrors(({ [field.path]: _, ...rest }) => (e ? { ...rest, [field.path]: e } : rest));
  };

  const goTo = (key: string, focus?: string) => {
    update({ section: key });
    setResumed(false);
    setSubmitError('');
    window.scrollTo(0, 0);
    setPendingFocus(focus ?? 'section-heading');
  };

  const shownErrors: Errors = { ...errors, ...serverErrors };

  const next = (e: FormEvent) => {
    e.preventDefault();
    if (!section) return;
    const errs = validateSection(model, section, state);
    const paths = section.fields.map((f) => f.path);
    setTouched((s) => new Set([...s, ...paths]));
    setErrors((prev) => {
      const rest = Object.fromEntries(Object.entries(prev).filter(([p]) => !paths.includes(p)));
      return { ...rest, ...errs };
    });
    const sectionErrs = Object.keys(serverErrors).filter((p) => sectionOfPath(model, p)?.key === section.key);
    if (Object.keys(errs).length || sectionErrs.length) {
      setSummaryKey((k) => k + 1);
      return;
    }
    const after = visible[index + 1];
    goTo(after ? after.key : REVIEW);
  };

  const back = () => {
    const before = visible[index - 1];
    if (before) goTo(before.key);
  };

  const reviewErrors = currentKey === REVIEW ? { ...validateAll(model, state), ...serverErrors } : {};

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (submitting) return;
    const errs = validateAll(model, state);
    setErrors(errs);
    const missing = asAgent ? authorisationProblem(authorisation) : null;
    setAuthorisationError(missing ? t(missing) : '');
    if (Object.keys(errs).length || !confirmed || missing) {
      setSummaryKey((k) => k + 1);
      return;
    }
    setSubmitting(true);
    setSubmitError('');
    const form = buildPayload(model, state);
    try {
      const given = asAgent ? { authorisation: await authorisationPayload(authorisation) } : {};
      const app = await api<ApplicationView>('/applications', {
        method: 'POST',
        body: { service: model.service.id, form, ...given },
        headers: { 'Idempotency-Key': draft.id },
      });
      pending.current = null;
      saving.current.next = null;
      dirty.current = false;
      writeStash(unsavedKey, null);
      markSubmitted(sub, draft, app.id, form);
      navigate(`${home}/applications/${app.id}?submitted=1`);
    } catch (err) {
      setSubmitting(false);
      if (err instanceof ApiError && err.fields.length) {
        const mapped: Errors = {};
        const general: string[] = [];
        for (const f of err.fields) {
          const path = f.path.replace(/^form\.?/, '');
          const msg: Text = f.messages ?? { 'zh-CN': f.message, en: f.message };
          if (path && (model.fields.some((x) => x.path === path) || sectionOfPath(model, path)))
            mapped[path] ??= msg;
          else general.push(tx(msg));
        }
        setServerErrors(mapped);
        setSubmitError(general.join('；') || errorText(err));
      } else {
        setSubmitError(err instanceof UploadFailed ? t('docs.uploadFailed') : errorText(err));
      }
      setSummaryKey((k) => k + 1);
    }
  };

  const labelOf = (path: string) => {
    const f = model.fields.find((x) => x.path === path);
    if (f) return tx(f.label);
    const s = sectionOfPath(model, path);
    return s ? tx(s.title) : path;
  };

  const summaryFor = (errs: Errors, jump: boolean): SummaryItem[] =>
    Object.entries(errs).map(([path, msg]) => {
      const owner = sectionOfPath(model, path);
      const hasField = model.fields.some((f) => f.path === path);
      const target = hasField ? fieldId(path) : undefined;
      return {
        key: path,
        label: labelOf(path),
        message: tx(msg),
        target: jump ? undefined : target,
        onSelect: jump && owner ? () => goTo(owner.key, target ?? 'section-heading') : undefined,
      };
    });

  const stepper = (
    <nav aria-label={t('apply.progress')} className="stepper-nav">
      <ol className="stepper">
        {visible.map((s, i) => (
          <li key={s.key} className={i === index ? 'current' : i < index ? 'done' : ''}>
            <button type="button" aria-current={i === index ? 'step' : undefined} onClick={() => goTo(s.key)}>
              <span className="step-num" aria-hidden="true">
                {i + 1}
              </span>
              <span className="stepper-label">{tx(s.title)}</span>
            </button>
          </li>
        ))}
        <li className={currentKey === REVIEW ? 'current' : ''}>
          <button
            type="button"
            aria-current={currentKey === REVIEW ? 'step' : undefined}
            onClick={() => goTo(REVIEW)}
          >
            <span className="step-num" aria-hidden="true">
              {visible.length + 1}
            </span>
            <span className="stepper-label">{t('apply.review')}</span>
          </button>
        </li>
      </ol>
    </nav>
  );

  const resumedNotice = resumed ? (
    <p className="alert info" role="status">
      {t('drafts.resumed')}
    </p>
  ) : null;

  const saved =
    saveState === 'conflict' ? (
      <p className="alert error save-note" role="alert">
        {t('drafts.conflict')}{' '}
        <a href={`${home}/apply/${model.service.id}?draft=${draft.id}`}>{t('drafts.reopen')}</a>
      </p>
    ) : saveState === 'failed' ? (
      <p className="alert warn save-note" role="status">
        {t('drafts.saveFailed')}
      </p>
    ) : (
      <p className="muted save-note" role="status" data-save-state={saveState}>
        {t('drafts.serverNote')}
        {saveState === 'saving'
          ? ` ${t('drafts.saving')}`
          : savedAt
            ? ` ${t('drafts.saved', { time: dt(savedAt) })}`
            : ''}
      </p>
    );

  if (currentKey === REVIEW) {
    const summary = summaryFor(reviewErrors, true);
    const enabledSections = model.sections.filter((s) => sectionEnabled(model, s, state));
    return (
      <div className="wizard">
        {stepper}
        <form onSubmit={submit} noValidate className="wizard-body" aria-labelledby="section-heading">
          <h2 id="section-heading" tabIndex={-1}>
            {t('apply.review')}
            <span className="step-count">
              {' '}
              {t('apply.stepOf', { n: visible.length + 1, total: visible.length + 1 })}
            </span>
          </h2>
          {resumedNotice}
          <ErrorSummary
            items={[
              ...summary,
              ...(submitError ? [{ key: '_submit', label: '', message: submitError }] : []),
              ...(authorisationError
                ? [
                    {
                      key: '_authorisation',
                      label: t('auth.title'),
                      message: authorisationError,
                      target: authorisation.method === 'letter' ? 'authorisation-file' : 'authorisation-code',
                    },
                  ]
                : []),
              ...(!confirmed && summaryKey > 0 && !summary.length && !submitError
                ? [{ key: '_confirm', label: '', message: t('apply.confirmRequired'), target: 'confirm' }]
                : []),
            ]}
            focusKey={summaryKey}
          />
          <p>{t('apply.reviewLead')}</p>
          {asAgent ? (
            <AuthorisationPanel
              value={authorisation}
              onChange={setAuthorisation}
              error={authorisationError || undefined}
            />
          ) : null}
          {enabledSections.map((s) => (
            <section key={s.key} className="review-section" aria-labelledby={`review-${s.key}`}>
              <div className="review-head">
                <h3 id={`review-${s.key}`}>{tx(s.title)}</h3>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => goTo(s.key)}
                  aria-label={`${t('apply.edit')}：${tx(s.title)}`}
                >
                  {t('apply.edit')}
                </button>
              </div>
              <dl className="kv">
                {s.fields
                  .filter((f) => fieldShown(model, f, draft.values))
                  .map((f) => (
                    <div key={f.path} className={reviewErrors[f.path] ? 'has-error' : undefined}>
                      <dt>{tx(f.label)}</dt>
                      <dd className={f.widget === 'idNumber' ? 'mono' : undefined}>
                        {displayValue(f, draft.values[f.path], i18n, catalog?.reference)}
                        {reviewErrors[f.path] ? (
                          <span className="field-error inline"> ⚠ {tx(reviewErrors[f.path])}</span>
                        ) : null}
                      </dd>
                    </div>
                  ))}
              </dl>
            </section>
          ))}
          <div className={`field confirm${!confirmed && summaryKey > 0 ? ' has-error' : ''}`}>
            <label htmlFor="confirm" className="choice">
              <input
                id="confirm"
                type="checkbox"
                checked={confirmed}
                aria-describedby={!confirmed && summaryKey > 0 ? 'confirm-error' : undefined}
                onChange={(e) => setConfirmed(e.target.checked)}
              />
              <span>{t('apply.confirm')}</span>
            </label>
            {!confirmed && summaryKey > 0 ? (
              <p className="field-error" id="confirm-error">
                ⚠ {t('apply.confirmRequired')}
              </p>
            ) : null}
          </div>
          <div className="button-row">
            <button
              type="button"
              className="button secondary"
              onClick={() => goTo(visible[visible.length - 1]?.key ?? '')}
            >
              {t('apply.back')}
            </button>
            <button type="submit" className="button" disabled={submitting} aria-disabled={submitting}>
              {submitting ? t('apply.submitting') : t('apply.submit')}
            </button>
          </div>
          {saved}
        </form>
      </div>
    );
  }

  if (!section) return null;
  const enabled = sectionEnabled(model, section, state);
  const sectionErrors: Errors = Object.fromEntries(
    Object.entries(shownErrors).filter(([p]) => sectionOfPath(model, p)?.key === section.key),
  );
  const sectionLevel = Object.entries(sectionErrors).filter(([p]) => !model.fields.some((f) => f.path === p));
  return (
    <div className="wizard">
      {stepper}
      <form onSubmit={next} noValidate className="wizard-body" aria-labelledby="section-heading">
        <h2 id="section-heading" tabIndex={-1}>
          {tx(section.title)}
          <span className="step-count">
            {' '}
            {t('apply.stepOf', { n: index + 1, total: visible.length + 1 })}
          </span>
        </h2>
        {resumedNotice}
        <ErrorSummary items={summaryFor(sectionErrors, false)} focusKey={summaryKey} />
        {sectionLevel.map(([p, m]) => (
          <p key={p} className="alert error">
            {tx(m)}
          </p>
        ))}
        {section.toggle ? (
          <div className="field">
            <label htmlFor={`toggle-${section.key}`} className="choice">
              <input
                id={`toggle-${section.key}`}
                type="checkbox"
                checked={draft.toggles[section.key] !== false}
                onChange={(e) => {
                  update({ toggles: { ...draft.toggles, [section.key]: e.target.checked } });
                  if (!e.target.checked) {
                    setErrors((prev) =>
                      Object.fromEntries(
                        Object.entries(prev).filter(([p]) => sectionOfPath(model, p)?.key !== section.key),
                      ),
                    );
                  }
                }}
              />
              <span>{tx(section.toggle)}</span>
            </label>
          </div>
        ) : null}
        {enabled ? (
          <SectionFields
            model={model}
            section={section}
            state={state}
            errors={shownErrors}
            onChange={onChange}
            onBlur={onBlur}
          />
        ) : null}
        <div className="button-row">
          {index > 0 ? (
            <button type="button" className="button secondary" onClick={back}>
              {t('apply.back')}
            </button>
          ) : null}
          <button type="submit" className="button">
            {index === visible.length - 1 ? t('apply.toReview') : t('apply.next')}
          </button>
        </div>
        {saved}
      </form>
    </div>
  );
}

function SectionFields({
  model,
  section,
  state,
  errors,
  onChange,
  onBlur,
}: {
  model: FormModel;
  section: SectionModel;
  state: FormState;
  errors: Errors;
  onChange(field: FieldModel, value: string | string[]): void;
  onBlur(field: FieldModel): void;
}) {
  const { catalog } = useCatalog();
  const { t, tx } = useI18n();
  const shown = section.fields.filter((f) => fieldShown(model, f, state.values));
  // fields of a nested object (e.g. guardians.second) are grouped under its own legend
  const groups: Array<{ parent: string; fields: FieldModel[] }> = [];
  for (const f of shown) {
    const parent = f.path.split('.').slice(0, -1).join('.');
    const last = groups[groups.length - 1];
    if (last && last.parent === parent) last.fields.push(f);
    else groups.push({ parent, fields: [f] });
  }
  const input = (f: FieldModel) => (
    <FieldInput
      key={f.path}
      field={f}
      value={state.values[f.path]}
      error={errors[f.path] ?? null}
      required={fieldRequired(model, f, section)}
      reference={catalog?.reference}
      onChange={(v) => onChange(f, v)}
      onBlur={() => onBlur(f)}
    />
  );
  return (
    <div className="fields">
      {groups.map((g) =>
        g.parent && g.parent !== section.key ? (
          <fieldset key={g.parent} className="subgroup">
            <legend>
              {tx(model.hints.fields?.[g.parent]?.label ?? humanize(g.parent.split('.').pop() ?? g.parent))}
              {g.fields.every((f) => f.optionalParent === g.parent) ? (
                <span className="optional"> （{t('optional')}）</span>
              ) : null}
            </legend>
            {g.fields.map(input)}
          </fieldset>
        ) : (
          g.fields.map(input)
        ),
      )}
    </div>
  );
}
