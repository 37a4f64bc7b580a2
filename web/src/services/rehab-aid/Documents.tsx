/**
 * Supporting documents of a rehab-aid application. Parents upload: the API hands out a presigned
 * S3 PUT for the declared type and size, the browser sends the file straight to S3 with a
 * progress bar, and `…/complete` has the server check what arrived (type, size, magic bytes).
 * Parents and caseworkers view through short-lived links; every view is an audit event.
 */
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { api, errorText } from '../../api.ts';
import { type StringKey, useI18n } from '../../i18n.tsx';
import type { DocumentUploadTicket, RehabDocument } from './types.ts';

export const DOCUMENT_KINDS = ['diagnosis', 'disability-certificate', 'hukou'] as const;
const TYPES = ['application/pdf', 'image/jpeg', 'image/png'];
const MAX_BYTES = 10 * 1024 * 1024;

/** PUT with upload progress (fetch cannot report it). Headers the browser sets itself are skipped. */
function putWithProgress(
  ticket: DocumentUploadTicket['upload'],
  file: File,
  onProgress: (fraction: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(ticket.method, ticket.url);
    for (const [name, value] of Object.entries(ticket.headers)) {
      if (name.toLowerCase() !== 'content-length') xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(`S3 ${xhr.status}`));
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(file);
  });
}

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;

export function Documents({ appId, canUpload }: { appId: string; canUpload: boolean }) {
  const { t, dt } = useI18n();
  const [items, setItems] = useState<RehabDocument[] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [kind, setKind] = useState<string>(DOCUMENT_KINDS[0]);
  const [progress, setProgress] = useState<number | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const base = `/rehab/applications/${appId}/documents`;

  const load = useCallback(
    () =>
      api<{ items: RehabDocument[] }>(base).then(
        (r) => setItems(r.items),
        (err: unknown) => setError(errorText(err)),
      ),
    [base],
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
      const ticket = await api<DocumentUploadTicket>(base, {
        method: 'POST',
        body: { kind, contentType: file.type, size: file.size },
      });
      await putWithProgress(ticket.upload, file, setProgress);
      setProgress(1);
      await api(`${base}/${ticket.document.documentId}/complete`, { method: 'POST', body: {} });
      setNotice(t('docs.uploaded', { name: file.name }));
      if (fileInput.current) fileInput.current.value = '';
    } catch (err) {
      setError(
        err instanceof Error && /^(S3|network)/.test(err.message) ? t('docs.uploadFailed') : errorText(err),
      );
    } finally {
      setProgress(null);
      void load();
    }
  };

  const view = async (doc: RehabDocument) => {
    setError('');
    try {
      const link = await api<{ url: string }>(`${base}/${doc.documentId}/link`, { method: 'POST', body: {} });
      window.open(link.url, '_blank', 'noopener');
    } catch (err) {
      setError(errorText(err));
    }
  };

  const kindLabel = (k: string) => t(`docs.kind.${k}` as StringKey);

  return (
    <section className="card" aria-labelledby="documents-title">
      <h2 id="documents-title">{t('docs.title')}</h2>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      {notice ? (
        <p className="alert success" role="status">
          {notice}
        </p>
      ) : null}
      {items === null && !error ? <p role="status">{t('loading')}</p> : null}
      {items?.length === 0 ? <p className="muted">{t('docs.none')}</p> : null}
      {items?.length ? (
        <ul className="plain-list documents">
          {items.map((d) => (
            <li key={d.documentId} className="row-item" data-status={d.status}>
              <span>
                <strong>{kindLabel(d.kind)}</strong>
                <span className="muted">
                  {' '}
                  · {d.contentType.split('/')[1]?.toUpperCase()} · {sizeText(d.size)} ·{' '}
                  {dt(d.uploadedAt ?? d.createdAt)}
                </span>{' '}
                <span className={`badge doc-${d.status}`}>{t(`docs.status.${d.status}` as StringKey)}</span>
              </span>
              {d.status === 'uploaded' ? (
                <button
                  type="button"
                  className="button small secondary"
                  onClick={() => void view(d)}
                  aria-label={`${t('docs.view')}：${kindLabel(d.kind)}`}
                >
                  {t('docs.view')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {canUpload ? (
        <form onSubmit={upload} className="upload-form" noValidate>
          <h3>{t('docs.add')}</h3>
          <p className="help">{t('docs.help')}</p>
          <label htmlFor="doc-kind">{t('docs.kind')}</label>
          <select id="doc-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            {DOCUMENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </select>
          <label htmlFor="doc-file">{t('docs.file')}</label>
          <input id="doc-file" ref={fileInput} type="file" accept={TYPES.join(',')} />
          {progress !== null ? (
            <div className="upload-progress">
              <label htmlFor="doc-progress">{t('docs.uploading')}</label>
              <progress
                id="doc-progress"
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
