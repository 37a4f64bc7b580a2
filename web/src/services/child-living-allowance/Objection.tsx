/**
 * On the township's case view, while the 7-day public notice runs: record an objection, which
 * stops the notice and makes it the township's review (decided then in the decision panel).
 */
import { type FormEvent, useState } from 'react';
import { api, errorText } from '../../api.ts';
import { Alerts } from '../../components/Alerts.tsx';
import { useI18n } from '../../i18n.tsx';
import { useSession } from '../../session.ts';
import type { ApplicationView } from '../../types.ts';
import { TOWNSHIP_AGENCY } from './agencies.ts';

export function Objection({ app }: { app: ApplicationView }) {
  const { t } = useI18n();
  const agency = useSession()?.user.agency;
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const open = app.steps.find((s) => s.step === 'public-notice')?.status === 'open';
  if (!open || agency !== TOWNSHIP_AGENCY) return null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await api(`/child-allowance/applications/${encodeURIComponent(app.id)}/objection`, {
        method: 'POST',
        body: { note: note.trim() },
      });
      setNotice(t('cla.objection'));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="cla-objection-title">
      <h2 id="cla-objection-title">{t('cla.objection')}</h2>
      <Alerts error={error} notice={notice} />
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="cla-objection">{t('cla.objectionNote')}</label>
          <textarea
            id="cla-objection"
            value={note}
            maxLength={500}
            onChange={(e) => setNote(e.target.value)}
          />
        </div>
        <p>
          <button type="submit" className="button" disabled={busy}>
            {t('cla.objection')}
          </button>
        </p>
      </form>
    </section>
  );
}
