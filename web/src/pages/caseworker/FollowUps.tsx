/**
 * 差评回访 for the citizen service centre: the follow-ups a 不满意 or 非常不满意 opened, the soonest
 * due first, overdue ones marked; call the family back (with a note), then resolve (with the
 * outcome). The server holds the order of the two and that each happens once.
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, errorText } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ScrollRegion } from '../../components/ScrollRegion.tsx';
import { useI18n } from '../../i18n.tsx';
import type { Schemas } from '../../types.ts';

type FollowUp = Schemas['FollowUp'];
type Status = FollowUp['status'];
const STATUSES: Status[] = ['open', 'contacted', 'resolved'];

const chinaTime = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

export function FollowUps() {
  const { t } = useI18n();
  const [status, setStatus] = useState<Status>('open');
  const [items, setItems] = useState<FollowUp[] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');

  const load = useCallback(async () => {
    setItems(null);
    try {
      setItems((await api<{ items: FollowUp[] }>(`/followups?status=${status}`)).items);
    } catch (err) {
      setError(errorText(err));
    }
  }, [status]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (f: FollowUp, text: string) => {
    setError('');
    setNotice('');
    if (text.trim().length < 2) return setError(t('followUps.needText'));
    try {
      if (f.status === 'open') {
        await api(`/followups/${f.appId}/contact`, { method: 'POST', body: { note: text.trim() } });
        setNotice(t('followUps.contacted'));
      } else {
        await api(`/followups/${f.appId}/resolve`, { method: 'POST', body: { outcome: text.trim() } });
        setNotice(t('followUps.resolved'));
      }
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <div>
      <PageTitle>{t('followUps.title')}</PageTitle>
      <p className="muted">{t('followUps.intro')}</p>
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
      <div className="field">
        <label htmlFor="followup-status">{t('followUps.status')}</label>
        <select id="followup-status" value={status} onChange={(e) => setStatus(e.target.value as Status)}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`followUps.status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      {items === null && !error ? <p role="status">{t('loading')}</p> : null}
      {items?.length === 0 ? <p>{t('followUps.none')}</p> : null}
      {items?.length ? (
        <ScrollRegion className="table-wrap" label={t('followUps.title')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('followUps.case')}</th>
                <th scope="col">{t('followUps.score')}</th>
                <th scope="col">{t('followUps.comment')}</th>
                <th scope="col">{t('followUps.contactDue')}</th>
                <th scope="col">{t('followUps.resolveDue')}</th>
                {status !== 'resolved' ? (
                  <th scope="col">{t(status === 'open' ? 'followUps.note' : 'followUps.outcome')}</th>
                ) : (
                  <th scope="col">{t('followUps.outcome')}</th>
                )}
              </tr>
            </thead>
            <tbody>
              {items.map((f) => (
                <Row key={f.appId} f={f} onAct={act} />
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
    </div>
  );
}

function Row({ f, onAct }: { f: FollowUp; onAct: (f: FollowUp, text: string) => Promise<void> }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onAct(f, text);
  };
  const inputId = `followup-${f.appId}`;
  return (
    <tr data-followup={f.appId} data-status={f.status}>
      <th scope="row" className="mono">
        {f.appId}
      </th>
      <td>{t(`rating.score.${f.score}`)}</td>
      <td>{f.comment ?? '—'}</td>
      <td>
        {chinaTime(f.contactDueAt)}
        {f.overdue && f.status === 'open' ? (
          <strong className="badge warn"> {t('followUps.overdue')}</strong>
        ) : null}
      </td>
      <td>
        {chinaTime(f.resolveDueAt)}
        {f.overdue && f.status === 'contacted' ? (
          <strong className="badge warn"> {t('followUps.overdue')}</strong>
        ) : null}
      </td>
      <td>
        {f.status === 'resolved' ? (
          f.outcome
        ) : (
          <form onSubmit={submit} className="inline-form">
            <label htmlFor={inputId} className="visually-hidden">
              {t(f.status === 'open' ? 'followUps.note' : 'followUps.outcome')}
            </label>
            <input id={inputId} maxLength={1000} value={text} onChange={(e) => setText(e.target.value)} />{' '}
            <button type="submit" className="button">
              {t(f.status === 'open' ? 'followUps.contact' : 'followUps.resolve')}
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}
