/**
 * The evidence of an allowance application (the kernel's case documents under this module's
 * path): the family uploads each parent's evidence (a presigned PUT straight to storage, then the
 * server's check), the family and the case's caseworkers list and open it through short-lived
 * links, every view an event in the case history.
 */
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { api, errorText } from '../../api.ts';
import { Alerts } from '../../components/Alerts.tsx';
import { useI18n } from '../../i18n.tsx';
import type { Reply } from '../../types.ts';

type EvidenceDocument = Reply<'/child-allowance/applications/{id}/documents', 'get'>['items'][number];
type Ticket = Reply<'/child-allowance/applications/{id}/documents', 'post'>;
const KINDS = ['father-evidence', 'mother-evidence', 'household-register', 'other'] as const;

export function Evidence({ appId, canUpload }: { appId: string; canUpload: boolean }) {
  const { t } = useI18n();
  const base = `/child-allowance/applications/${encodeURIComponent(appId)}/documents`;
  const [items, setItems] = useState<EvidenceDocument[] | null>(null);
  const [kind, setKind] = useState<string>(KINDS[0]);
  const [links, setLinks] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const file = useRef<HTMLInputElement>(null);

  const load = useCallback(
    () =>
      api<{ items: EvidenceDocument[] }>(base).then(
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
    const chosen = file.current?.files?.[0];
    if (!chosen) return setError(t('cla.chooseFile'));
    setBusy(true);
    setError('');
    setNotice('');
    try {
      const ticket = await api<Ticket>(base, {
        method: 'POST',
        body: { kind, contentType: chosen.type, size: chosen.size },
      });
      const headers = Object.fromEntries(
        Object.entries(ticket.upload.headers).filter(([name]) => name.toLowerCase() !== 'content-length'),
      );
      const put = await fetch(ticket.upload.url, { method: 'PUT', headers, body: chosen });
      if (!put.ok) throw new Error(`upload ${put.status}`);
      await api(`${base}/${ticket.document.documentId}/complete`, { method: 'POST', body: {} });
      setNotice(t('cla.uploaded'));
      if (file.current) file.current.value = '';
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
      await load();
    }
  };

  const view = async (documentId: string) => {
    setError('');
    try {
      const link = await api<{ url: string }>(`${base}/${documentId}/link`, { method: 'POST', body: {} });
      setLinks((l) => ({ ...l, [documentId]: link.url }));
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <section className="card" aria-labelledby="cla-evidence-title">
      <h2 id="cla-evidence-title">{t('cla.evidence')}</h2>
      <Alerts error={error} notice={notice} />
      {items === null && !error ? <p role="status">{t('loading')}</p> : null}
      {items?.length === 0 ? <p>{t('cla.noEvidence')}</p> : null}
      {items?.length ? (
        <ul data-testid="evidence-list">
          {items.map((d) => (
            <li key={d.documentId}>
              {t(`cla.kind.${d.kind}`)} · {t(`cla.doc.${d.status}`)}
              {d.status === 'uploaded' ? (
                links[d.documentId] ? (
                  <>
                    {' '}
                    <a href={links[d.documentId]} target="_blank" rel="noopener noreferrer">
                      {t('cla.openFile')}
                    </a>
                  </>
                ) : (
                  <>
                    {' '}
                    <button
                      type="button"
                      className="button secondary"
                      onClick={() => void view(d.documentId)}
                    >
                      {t('cla.view')}
                    </button>
                  </>
                )
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {canUpload ? (
        <form onSubmit={upload} noValidate>
          <div className="field">
            <label htmlFor="cla-evidence-kind">{t('cla.evidenceKind')}</label>
            <select id="cla-evidence-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`cla.kind.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="cla-evidence-file">{t('cla.file')}</label>
            <input
              id="cla-evidence-file"
              type="file"
              ref={file}
              accept="application/pdf,image/jpeg,image/png"
            />
          </div>
          <p>
            <button type="submit" className="button" disabled={busy}>
              {t('cla.upload')}
            </button>
          </p>
        </form>
      ) : null}
    </section>
  );
}
