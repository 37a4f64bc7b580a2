/**
 * A step that waits for the family's answer (childcare: the offered place), with accept and
 * decline (`POST /applications/{id}/steps/{step}/respond`). Declining asks for confirmation and
 * takes an optional note, since the place then goes to the next child on the waitlist.
 */
import { type FormEvent, useState } from 'react';
import { api, errorText } from '../../api.ts';
import { type Text, useI18n } from '../../i18n.tsx';
import type { ApplicationView, StepView } from '../../types.ts';

export function OfferResponse({
  app,
  step,
  onDone,
}: {
  app: ApplicationView;
  step: StepView;
  onDone(next: ApplicationView, response: 'accept' | 'decline'): void;
}) {
  const { t, tx, dt } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [declining, setDeclining] = useState(false);
  const [note, setNote] = useState('');
  const offered = app.steps.find((s) => s.step === 'allocate')?.outputs ?? {};
  const text = (v: unknown) => (typeof v === 'string' ? v : tx(v as Text | undefined));
  const place = [offered.nurseryName, offered.className].map(text).filter(Boolean).join(' · ');

  const respond = async (response: 'accept' | 'decline') => {
    setBusy(true);
    setError('');
    try {
      const next = await api<ApplicationView>(`/applications/${app.id}/steps/${step.step}/respond`, {
        method: 'POST',
        body: { response, ...(note.trim() ? { note: note.trim() } : {}) },
      });
      onDone(next, response);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  const decline = (e: FormEvent) => {
    e.preventDefault();
    void respond('decline');
  };

  return (
    <section className="card offer-card" aria-labelledby="offer-title">
      <h2 id="offer-title">{tx(step.title)}</h2>
      <p>{t('offer.lead')}</p>
      <dl className="kv">
        {place ? (
          <>
            <dt>{t('offer.place')}</dt>
            <dd data-testid="offer-place">{place}</dd>
          </>
        ) : null}
        {offered.term ? (
          <>
            <dt>{t('offer.term')}</dt>
            <dd>{String(offered.term)}</dd>
          </>
        ) : null}
        {step.dueAt ? (
          <>
            <dt>{t('offer.deadline')}</dt>
            <dd>{dt(step.dueAt)}</dd>
          </>
        ) : null}
      </dl>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      {declining ? (
        <form onSubmit={decline} className="stack">
          <p className="alert warn">{t('offer.declineWarning')}</p>
          <label htmlFor="decline-note">{t('offer.note')}</label>
          <textarea
            id="decline-note"
            maxLength={500}
            rows={3}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <div className="actions">
            <button type="submit" className="button danger" disabled={busy}>
              {t('offer.confirmDecline')}
            </button>
            <button type="button" className="button secondary" onClick={() => setDeclining(false)}>
              {t('cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div className="actions">
          <button type="button" className="button" disabled={busy} onClick={() => void respond('accept')}>
            {t('offer.accept')}
          </button>
          <button
            type="button"
            className="button secondary"
            disabled={busy}
            onClick={() => setDeclining(true)}
          >
            {t('offer.decline')}
          </button>
        </div>
      )}
    </section>
  );
}
