/**
 * The admin's reference data (issue 17): each kind's entries with the values in force today, a
 * change form per entry (value fields, effective date, note; the version read is sent, so a
 * change made meanwhile is a 409 explained here, never an overwrite), each entry's history, a
 * form to add an entry, and the births CSV import with its line-level errors. Field errors from
 * the API are shown at their fields and listed in the error summary.
 */

import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { ApiError, api, errorText, type FieldError } from '../../api.ts';
import { useCatalog } from '../../catalog.ts';
import { ErrorSummary, type SummaryItem } from '../../components/ErrorSummary.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ScrollRegion } from '../../components/ScrollRegion.tsx';
import { type StringKey, useI18n } from '../../i18n.tsx';
import { useLatest } from '../../latest.ts';
import { navigate, useLocation } from '../../router.tsx';
import type { Reply } from '../../types.ts';

type ListReply = Reply<'/admin/reference/{kind}', 'get'>;
type Entry = ListReply['entries'][number];
type Change = Entry['history'][number];
type Value = string | number | boolean;

const kinds = ['townships', 'hospitals', 'births', 'eligible', 'agencies'] as const;
type Kind = (typeof kinds)[number];

interface FieldDef {
  name: string;
  type: 'text' | 'number' | 'select' | 'boolean' | 'email';
  options?: Array<{ value: string; label: StringKey | string }>;
  required?: boolean;
  /** set when the entry is added; a change leaves it (an agency's level decides its queues) */
  fixed?: boolean;
  /** ids of another kind offered while typing (the API checks the reference) */
  suggest?: 'townships';
}

/** The value fields of each kind (functions/core/reference/book.ts validates them). */
const fieldsOf: Record<Kind, FieldDef[]> = {
  townships: [
    { name: 'nameZh', type: 'text', required: true },
    { name: 'nameEn', type: 'text', required: true },
    {
      name: 'kind',
      type: 'select',
      required: true,
      options: ['街道', '镇', '乡'].map((k) => ({ value: k, label: k })),
    },
    { name: 'population', type: 'number', required: true },
    { name: 'under3', type: 'number' },
  ],
  hospitals: [
    { name: 'nameZh', type: 'text', required: true },
    { name: 'nameEn', type: 'text', required: true },
    { name: 'township', type: 'text', required: true, suggest: 'townships' },
    { name: 'maternity', type: 'boolean', required: true },
  ],
  births: [{ name: 'births', type: 'number', required: true }],
  eligible: [
    { name: 'children', type: 'number', required: true },
    { name: 'under7', type: 'number' },
  ],
  agencies: [
    { name: 'nameZh', type: 'text', required: true },
    { name: 'nameEn', type: 'text', required: true },
    {
      name: 'level',
      type: 'select',
      required: true,
      fixed: true,
      options: [
        { value: 'city', label: 'ref.f.level.city' },
        { value: 'township', label: 'ref.f.level.township' },
      ],
    },
    { name: 'email', type: 'email' },
    { name: 'active', type: 'boolean', required: true },
  ],
};

const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const isKind = (k: string | null): k is Kind => kinds.includes(k as Kind);

export function ReferenceData() {
  const { t } = useI18n();
  const { query } = useLocation();
  const asked = query.get('kind');
  const kind: Kind = isKind(asked) ? asked : 'townships';
  const [list, setList] = useState<ListReply | null>(null);
  const [error, setError] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState('');

  const latest = useLatest();
  const load = useCallback(async () => {
    const current = latest();
    setError('');
    try {
      const reply = await api<ListReply>(`/admin/reference/${kind}`);
      if (current()) setList(reply);
    } catch (err) {
      if (current()) setError(errorText(err));
    }
  }, [kind, latest]);

  useEffect(() => {
    setList(null);
    setEditing(null);
    setSaved('');
    void load();
  }, [load]);

  const onSaved = (c: Change) => {
    setEditing(null);
    setSaved(t('ref.saved', { id: c.id, version: c.version, from: c.effectiveFrom }));
    void load();
  };

  return (
    <div className="reference-data">
      <PageTitle sub={t('ref.lead')}>{t('ref.title')}</PageTitle>
      <fieldset className="tabs">
        <legend className="visually-hidden">{t('ref.kinds')}</legend>
        {kinds.map((k) => (
          <button
            key={k}
            type="button"
            className={`tab${k === kind ? ' active' : ''}`}
            aria-pressed={k === kind}
            onClick={() => navigate(`/admin?kind=${k}`, { replace: true })}
          >
            {t(`ref.kind.${k}`)}
          </button>
        ))}
      </fieldset>
      {saved ? (
        <p className="alert success" role="status" data-testid="ref-saved">
          {saved}
        </p>
      ) : null}
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      {!list && !error ? <p aria-live="polite">{t('loading')}</p> : null}
      {list ? (
        <EntryTable
          kind={kind}
          list={list}
          editing={editing}
          onEdit={(id) => {
            setSaved('');
            setEditing(id === editing ? null : id);
          }}
          onSaved={onSaved}
          onReload={() => void load()}
        />
      ) : null}
      {list ? (
        <details className="card" data-testid="ref-add">
          <summary>{t('ref.add')}</summary>
          <ChangeForm key={`new-${kind}`} kind={kind} onSaved={onSaved} onReload={() => void load()} />
        </details>
      ) : null}
      {kind === 'births' ? <BirthsImport onImported={() => void load()} /> : null}
    </div>
  );
}

function show(v: Value | undefined, t: (k: StringKey) => string): string {
  if (v === undefined) return '—';
  if (typeof v === 'boolean') return t(v ? 'ref.yes' : 'ref.no');
  return String(v);
}

function EntryTable(props: {
  kind: Kind;
  list: ListReply;
  editing: string | null;
  onEdit(id: string): void;
  onSaved(c: Change): void;
  onReload(): void;
}) {
  const { t } = useI18n();
  const { kind, list, editing } = props;
  const fields = fieldsOf[kind];
  return (
    <section className="card" aria-labelledby="ref-list">
      <h2 id="ref-list">
        {t(`ref.kind.${kind}`)} · {list.asOf}
      </h2>
      <ScrollRegion label={t(`ref.kind.${kind}`)}>
        <table className="table" data-testid={`ref-${kind}`}>
          <thead>
            <tr>
              <th scope="col">{t('ref.id')}</th>
              {fields.map((f) => (
                <th scope="col" key={f.name}>
                  {t(`ref.f.${f.name}` as StringKey)}
                </th>
              ))}
              <th scope="col">{t('ref.version')}</th>
              <th scope="col">{t('ref.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.entries.map((e) => (
              <EntryRow
                key={e.id}
                kind={kind}
                entry={e}
                open={editing === e.id}
                onEdit={() => props.onEdit(e.id)}
                onSaved={props.onSaved}
                onReload={props.onReload}
              />
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}

function EntryRow(props: {
  kind: Kind;
  entry: Entry;
  open: boolean;
  onEdit(): void;
  onSaved(c: Change): void;
  onReload(): void;
}) {
  const { t } = useI18n();
  const { kind, entry, open } = props;
  const fields = fieldsOf[kind];
  const cols = fields.length + 3;
  return (
    <>
      <tr data-key={entry.id}>
        <th scope="row">{entry.id}</th>
        {fields.map((f) => (
          <td key={f.name} data-field={f.name}>
            {entry.current ? show(entry.current[f.name], t) : t('ref.notInForce')}
          </td>
        ))}
        <td>{entry.version}</td>
        <td>
          <button
            type="button"
            className="button small secondary"
            aria-expanded={open}
            aria-label={t('ref.changeOf', { id: entry.id })}
            onClick={props.onEdit}
          >
            {t('ref.change')}
          </button>
        </td>
      </tr>
      {open ? (
        <tr className="ref-editor">
          <td colSpan={cols}>
            <ChangeForm kind={kind} entry={entry} onSaved={props.onSaved} onReload={props.onReload} />
            <History entry={entry} kind={kind} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function History({ entry, kind }: { entry: Entry; kind: Kind }) {
  const { t } = useI18n();
  const label = (name: string) =>
    fieldsOf[kind].some((f) => f.name === name) ? t(`ref.f.${name}` as StringKey) : name;
  return (
    <section aria-label={t('ref.historyOf', { id: entry.id })}>
      <h3>{t('ref.history', { n: entry.history.length })}</h3>
      <ScrollRegion label={t('ref.historyOf', { id: entry.id })}>
        <table className="table" data-testid={`history-${entry.id}`}>
          <thead>
            <tr>
              <th scope="col">{t('ref.version')}</th>
              <th scope="col">{t('ref.h.at')}</th>
              <th scope="col">{t('ref.h.by')}</th>
              <th scope="col">{t('ref.effectiveFrom')}</th>
              <th scope="col">{t('ref.h.fields')}</th>
              <th scope="col">{t('ref.note')}</th>
            </tr>
          </thead>
          <tbody>
            {[...entry.history].reverse().map((c) => (
              <tr key={c.version} data-version={c.version}>
                <th scope="row">{c.version}</th>
                <td>{c.at.slice(0, 16).replace('T', ' ')}</td>
                <td>{c.by}</td>
                <td>{c.effectiveFrom}</td>
                <td>
                  {Object.entries(c.values)
                    .map(([k, v]) => `${label(k)}: ${show(v, t)}`)
                    .join('; ')}
                </td>
                <td>{c.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}

/** Where the API's field path (`values.population`, `effectiveFrom`, `note`, `id`) is shown. */
const fieldKey = (path: string) => path.replace(/^values\./, '');

function ChangeForm(props: { kind: Kind; entry?: Entry; onSaved(c: Change): void; onReload(): void }) {
  const { t, tx } = useI18n();
  const { catalog } = useCatalog();
  const { kind, entry } = props;
  const uid = useId().replace(/[^\w-]/g, '');
  const idOf = (name: string) => `ref-${uid}-${name}`;
  const fields = fieldsOf[kind];
  const current = entry?.current ?? {};
  const initial = Object.fromEntries(
    fields.map((f) => [
      f.name,
      f.type === 'boolean' ? current[f.name] === true : String(current[f.name] ?? ''),
    ]),
  ) as Record<string, string | boolean>;
  const [values, setValues] = useState(initial);
  const [id, setId] = useState('');
  const [effectiveFrom, setEffectiveFrom] = useState(chinaToday());
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [conflict, setConflict] = useState(false);
  const [general, setGeneral] = useState('');
  const [attempt, setAttempt] = useState(0);

  const message = (e: FieldError) => (e.messages ? tx(e.messages) : e.message);
  const errorAt = (name: string) => errors.find((e) => fieldKey(e.path) === name);
  const labelOf = (name: string) =>
    name === 'id'
      ? t('ref.id')
      : name === 'effectiveFrom'
        ? t('ref.effectiveFrom')
        : name === 'note'
          ? t('ref.note')
          : fields.some((f) => f.name === name)
            ? t(`ref.f.${name}` as StringKey)
            : '';

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setBusy(true);
    setErrors([]);
    setConflict(false);
    setGeneral('');
    // a change sends the fields that differ from the values in force; a new entry sends them all
    const patch: Record<string, Value> = {};
    for (const f of fields) {
      const v = values[f.name];
      if (entry && v === initial[f.name]) continue;
      if (v === '' && !f.required) continue;
      patch[f.name] = v as Value;
    }
    const target = entry?.id ?? id.trim();
    try {
      const change = await api<Change>(`/admin/reference/${kind}/${encodeURIComponent(target || '-')}`, {
        method: 'PUT',
        body: {
          version: entry?.version ?? 0,
          effectiveFrom,
          values: patch,
          ...(note.trim() ? { note: note.trim() } : {}),
        },
      });
      props.onSaved(change);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setConflict(true);
      else if (err instanceof ApiError && err.fields.length > 0) setErrors(err.fields);
      else setGeneral(errorText(err));
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  const summary: SummaryItem[] = errors.map((e, i) => {
    const key = fieldKey(e.path);
    const known =
      key === 'id' || key === 'effectiveFrom' || key === 'note' || fields.some((f) => f.name === key);
    return {
      key: `${e.path}-${i}`,
      label: known ? labelOf(key) : '',
      message: message(e),
      ...(known ? { target: idOf(key) } : {}),
    };
  });

  const described = (name: string, help?: boolean) =>
    [help ? `${idOf(name)}-help` : '', errorAt(name) ? `${idOf(name)}-error` : '']
      .filter(Boolean)
      .join(' ') || undefined;
  const errorEl = (name: string) => {
    const e = errorAt(name);
    return e ? (
      <p className="field-error" id={`${idOf(name)}-error`}>
        <span aria-hidden="true">⚠ </span>
        {message(e)}
      </p>
    ) : null;
  };

  return (
    <form
      className="ref-form"
      noValidate
      onSubmit={(e) => void submit(e)}
      aria-label={
        entry ? t('ref.changeOf', { id: entry.id }) : t('ref.addTitle', { kind: t(`ref.kind.${kind}`) })
      }
    >
      <ErrorSummary items={summary} focusKey={attempt} />
      {conflict ? (
        <div className="alert warn" role="alert" data-testid="ref-conflict">
          <p>{t('ref.conflict')}</p>
          <button type="button" className="button small" onClick={props.onReload}>
            {t('ref.reload')}
          </button>
        </div>
      ) : null}
      {general ? (
        <p className="alert error" role="alert">
          {general}
        </p>
      ) : null}
      {entry ? null : (
        <div className={`field${errorAt('id') ? ' has-error' : ''}`}>
          <label htmlFor={idOf('id')}>{t('ref.id')}</label>
          <p className="help" id={`${idOf('id')}-help`}>
            {t(`ref.idHelp.${kind}`)}
          </p>
          <input
            id={idOf('id')}
            type="text"
            value={id}
            spellCheck={false}
            autoComplete="off"
            aria-describedby={described('id', true)}
            aria-invalid={errorAt('id') ? true : undefined}
            onChange={(e) => setId(e.target.value)}
          />
          {errorEl('id')}
        </div>
      )}
      {fields.map((f) => {
        const fid = idOf(f.name);
        const v = values[f.name];
        const invalid = errorAt(f.name) ? true : undefined;
        const label = (
          <>
            {t(`ref.f.${f.name}` as StringKey)}
            {f.required || f.type === 'boolean' ? null : (
              <span className="optional"> （{t('optional')}）</span>
            )}
          </>
        );
        if (f.type === 'boolean') {
          return (
            <div key={f.name} className={`field check-field${invalid ? ' has-error' : ''}`}>
              <label htmlFor={fid} className="choice">
                <input
                  id={fid}
                  type="checkbox"
                  checked={v === true}
                  aria-describedby={described(f.name)}
                  aria-invalid={invalid}
                  onChange={(e) => setValues({ ...values, [f.name]: e.target.checked })}
                />
                <span>{label}</span>
              </label>
              {errorEl(f.name)}
            </div>
          );
        }
        return (
          <div key={f.name} className={`field${invalid ? ' has-error' : ''}`}>
            <label htmlFor={fid}>{label}</label>
            {f.type === 'select' ? (
              <select
                id={fid}
                value={String(v)}
                disabled={Boolean(entry) && f.fixed}
                aria-describedby={described(f.name)}
                aria-invalid={invalid}
                onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
              >
                <option value="">{t('choose')}</option>
                {(f.options ?? []).map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label.startsWith('ref.') ? t(o.label as StringKey) : o.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={fid}
                list={f.suggest ? `${fid}-list` : undefined}
                type={f.type === 'email' ? 'email' : 'text'}
                inputMode={f.type === 'number' ? 'numeric' : f.type === 'email' ? 'email' : undefined}
                value={String(v)}
                aria-describedby={described(f.name)}
                aria-invalid={invalid}
                onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
              />
            )}
            {f.suggest ? (
              <datalist id={`${fid}-list`}>
                {(catalog?.reference[f.suggest] ?? []).map((o) => (
                  <option key={o.id} value={o.id}>
                    {tx(o.name)}
                  </option>
                ))}
              </datalist>
            ) : null}
            {errorEl(f.name)}
          </div>
        );
      })}
      <div className={`field${errorAt('effectiveFrom') ? ' has-error' : ''}`}>
        <label htmlFor={idOf('effectiveFrom')}>{t('ref.effectiveFrom')}</label>
        <p className="help" id={`${idOf('effectiveFrom')}-help`}>
          {t('ref.effectiveHelp')}
        </p>
        <input
          id={idOf('effectiveFrom')}
          type="date"
          value={effectiveFrom}
          aria-describedby={described('effectiveFrom', true)}
          aria-invalid={errorAt('effectiveFrom') ? true : undefined}
          onChange={(e) => setEffectiveFrom(e.target.value)}
        />
        {errorEl('effectiveFrom')}
      </div>
      <div className={`field${errorAt('note') ? ' has-error' : ''}`}>
        <label htmlFor={idOf('note')}>
          {t('ref.note')}
          <span className="optional"> （{t('optional')}）</span>
        </label>
        <textarea
          id={idOf('note')}
          rows={2}
          maxLength={300}
          value={note}
          aria-describedby={described('note')}
          aria-invalid={errorAt('note') ? true : undefined}
          onChange={(e) => setNote(e.target.value)}
        />
        {errorEl('note')}
      </div>
      <button type="submit" className="button" disabled={busy} aria-busy={busy}>
        {busy ? t('ref.saving') : t('ref.save')}
      </button>
    </form>
  );
}

interface ImportReply {
  rows: number;
  changed: number;
  unchanged: number;
}

function BirthsImport({ onImported }: { onImported(): void }) {
  const { t, tx, lang } = useI18n();
  const [csv, setCsv] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ImportReply | null>(null);
  const [lineErrors, setLineErrors] = useState<FieldError[]>([]);
  const [general, setGeneral] = useState('');

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setBusy(true);
    setDone(null);
    setLineErrors([]);
    setGeneral('');
    try {
      const reply = await api<ImportReply>('/admin/reference/births/import', {
        method: 'POST',
        body: { csv },
      });
      setDone(reply);
      onImported();
    } catch (err) {
      if (err instanceof ApiError && err.fields.length > 0) setLineErrors(err.fields);
      else setGeneral(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  /** `csv.3.births` → "第 3 行" */
  const where = (path: string) => {
    const n = /^csv\.(\d+)/.exec(path)?.[1];
    return n ? t('ref.import.line', { n }) : '';
  };

  return (
    <section className="card" aria-labelledby="ref-import">
      <h2 id="ref-import">{t('ref.import.title')}</h2>
      <p className="help" id="ref-import-help">
        {t('ref.import.help')}
      </p>
      <form noValidate onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="ref-import-file">{t('ref.import.file')}</label>
          <input
            id="ref-import-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void file.text().then(setCsv);
            }}
          />
        </div>
        <div className={`field${lineErrors.length ? ' has-error' : ''}`}>
          <label htmlFor="ref-import-csv">{t('ref.import.csv')}</label>
          <textarea
            id="ref-import-csv"
            rows={6}
            className="mono"
            value={csv}
            spellCheck={false}
            aria-describedby={lineErrors.length ? 'ref-import-help ref-import-errors' : 'ref-import-help'}
            aria-invalid={lineErrors.length ? true : undefined}
            onChange={(e) => setCsv(e.target.value)}
          />
        </div>
        {lineErrors.length ? (
          <div className="alert error" role="alert" id="ref-import-errors" data-testid="import-errors">
            <p>{t('ref.import.errors')}</p>
            <ul>
              {lineErrors.map((e, i) => (
                <li key={`${e.path}-${String(i)}`} data-path={e.path}>
                  {where(e.path) ? `${where(e.path)}${lang === 'en' ? ': ' : '：'}` : ''}
                  {e.messages ? tx(e.messages) : e.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {general ? (
          <p className="alert error" role="alert">
            {general}
          </p>
        ) : null}
        {done ? (
          <p className="alert success" role="status" data-testid="import-done">
            {t('ref.import.done', { rows: done.rows, changed: done.changed, unchanged: done.unchanged })}
          </p>
        ) : null}
        <button type="submit" className="button" disabled={busy || csv.trim() === ''} aria-busy={busy}>
          {t('ref.import.submit')}
        </button>
      </form>
    </section>
  );
}

export default ReferenceData;
