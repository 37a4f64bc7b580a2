/**
 * A case's supporting documents, for any module that asks for them (the kernel's case documents,
 * `<base>/applications/{id}/documents…`). The family uploads: the API hands out a presigned PUT
 * for the declared type and size, the browser sends the file straight to storage with a progress
 * bar, and `…/complete` has the server check what arrived (type, size, magic bytes). The family
 * and the case's caseworkers open a file through a short-lived link; every view is an audit
 * event. A module gives its path, its kinds and their labels, and the section's title.
 */
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { paths } from '../../generated/api-types.ts';
import { api, errorText } from '../api.ts';
import { type StringKey, useI18n } from '../i18n.tsx';
import type { ApplicationView, Reply } from '../types.ts';
import { putFile, UploadFailed } from '../upload.ts';
import { Alerts } from './Alerts.tsx';

/** every module's documents route, as the contract names them (no module named here) */
type DocumentsPath = Extract<keyof paths, `/${string}/applications/{id}/documents`>;
type Listed = Reply<DocumentsPath, 'get'>['items'][number];
type CaseDocument = Omit<Listed, 'kind'> & { kind: string };
type Ticket = { document: CaseDocument; upload: Reply<DocumentsPath, 'post'>['upload'] };

const TYPES = ['application/pdf', 'image/jpeg', 'image/png'];
const MAX_BYTES = 10 * 1024 * 1024;

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** What a module declares: where its documents are, their kinds and labels, the section's title. */
export interface DocumentsPanelSpec {
  /** the module's API path (its documents are at `<base>/applications/{id}/documents`) */
  base: string;
  kinds: readonly string[];
  kindLabel: (kind: string) => StringKey;
  title: StringKey;
  /** the section heading's id; the form's fields are named after it */
  id: string;
}

/**
 * `family`: the family's own page, where uploading is offered while the case is open (in
 * progress or waiting for information); the caseworker's page only lists and views.
 */
export function CaseDocuments({
  app,
  family,
  spec,
}: {
  app: ApplicationView;
  family: boolean;
  spec: DocumentsPanelSpec;
}) {
  const { base, kinds, kindLabel, title, id } = spec;
  const appId = app.id;
  const canUpload = family && (app.status === 'in-progress' || app.status === 'info-requested');
  const { t, dt } = useI18n();
  const [items, setItems] = useState<CaseDocument[] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [kind, setKind] = useState<string>(kinds[0] ?? '');
  const [progress, setProgress] = useState<number | null>(null);
  const [links, setLinks] = useState<Record<string, { url: string; expiresAt: string }>>({});
  const fileInput = useRef<HTMLInputElement>(null);
  const path = `${base}/applications/${encodeURIComponent(appId)}/documents`;

  const load = useCallback(
    () =>
      api<{ items: CaseDocument[] }>(path).then(
        (r) => setItems(r.items),
        (err: unknown) => setError(errorText(err)),
      ),
    [path],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const upload = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    setNotice('');
    const file = fileInput.current?.files?.[0];
    if (!file) return setError(t('docs.chooseFile'));
    if (!TYPES.includes(file.type)) return setError(t('docs.wrongType'));
    if (file.size > MAX_BYTES) return setError(t('docs.tooLarge'));
    setProgress(0);
    try {
      const ticket = await api<Ticket>(path, {
        method: 'POST',
        body: { kind, contentType: file.type, size: file.size },
      });
      await putFile(ticket.upload, file, setProgress);
      setProgress(1);
      await api(`${path}/${ticket.document.documentId}/complete`, { method: 'POST', body: {} });
      setNotice(t('docs.uploaded', { name: file.name }));
      if (fileInput.current) fileInput.current.value = '';
    } catch (err) {
      setError(err instanceof UploadFailed ? t('docs.uploadFailed') : errorText(err));
    } finally {
      setProgress(null);
      void load();
    }
  };

  const view = async (documentId: string) => {
    setError('');
    try {
      const link = await api<{ url: string; expiresAt: string }>(`${path}/${documentId}/link`, {
        method: 'POST',
        body: {},
      });
      setLinks((l) => ({ ...l, [documentId]: link }));
    } catch (err) {
      setError(errorText(err));
    }
  };

  const label = (k: string) => t(kindLabel(k));
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{t(title)}</h2>
      <Alerts error={error} notice={notice} />
      {items === null && !error ? <p role="status">{t('loading')}</p> : null}
      {items?.length === 0 ? <p className="muted">{t('docs.none')}</p> : null}
      {items?.length ? (
        <ul className="plain-list documents" data-testid="documents-list">
          {items.map((d) => (
            <li key={d.documentId} className="row-item" data-status={d.status}>
              <span>
                <strong>{label(d.kind)}</strong>
                <span className="muted">
                  {' '}
                  · {d.contentType.split('/')[1]?.toUpperCase()} · {sizeText(d.size)} ·{' '}
                  {dt(d.uploadedAt ?? d.createdAt)}
                </span>{' '}
                <span className={`badge doc-${d.status}`}>{t(`docs.status.${d.status}`)}</span>
              </span>
              {d.status !== 'uploaded' ? null : links[d.documentId] ? (
                <a href={links[d.documentId]?.url} target="_blank" rel="noopener noreferrer">
                  {t('docs.open', { kind: label(d.kind), until: dt(links[d.documentId]?.expiresAt) })}
                </a>
              ) : (
                <button
                  type="button"
                  className="button small secondary"
                  onClick={() => void view(d.documentId)}
                  aria-label={`${t('docs.view')}：${label(d.kind)}`}
                >
                  {t('docs.view')}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {canUpload ? (
        <form onSubmit={upload} className="upload-form" noValidate>
          <h3>{t('docs.add')}</h3>
          <p className="help">{t('docs.help')}</p>
          <label htmlFor={`${id}-kind`}>{t('docs.kind')}</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value)}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {label(k)}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-file`}>{t('docs.file')}</label>
          <input id={`${id}-file`} ref={fileInput} type="file" accept={TYPES.join(',')} />
          {progress !== null ? (
            <div className="upload-progress">
              <label htmlFor={`${id}-progress`}>{t('docs.uploading')}</label>
              <progress
                id={`${id}-progress`}
                max={1}
                value={progress}
                aria-valuetext={`${Math.round(progress * 100)}%`}
              >
                {Math.round(progress * 100)}%
              </progress>{' '}
              <span aria-hidden="true">{Math.round(progress * 100)}%</span>
            </div>
          ) : null}
          <p>
            <button type="submit" className="button" disabled={progress !== null}>
              {t('docs.upload')}
            </button>
          </p>
        </form>
      ) : null}
    </section>
  );
}
