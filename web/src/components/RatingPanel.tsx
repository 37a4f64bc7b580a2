/**
 * 好差评 on the family's case page once the case has ended: rate it once (非常满意 … 非常不满意)
 * with an optional comment; afterwards the rating given is shown. The e-mail and SMS that end a
 * case link here (`#rating`).
 */
import { type FormEvent, useEffect, useState } from 'react';
import { api, errorText } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import type { Schemas } from '../types.ts';

type Rating = Schemas['Rating'];
export const RATING_SCORES = [
  'very-satisfied',
  'satisfied',
  'basically-satisfied',
  'dissatisfied',
  'very-dissatisfied',
] as const satisfies readonly Rating['score'][];

export function RatingPanel({ appId }: { appId: string }) {
  const { t } = useI18n();
  const [rating, setRating] = useState<Rating | null | undefined>(undefined);
  const [score, setScore] = useState<Rating['score'] | ''>('');
  const [comment, setComment] = useState('');
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<{ rating: Rating | null }>(`/applications/${appId}/rating`).then(
      (r) => setRating(r.rating),
      (err: unknown) => setError(errorText(err)),
    );
  }, [appId]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    if (!score) return setError(t('rating.choose'));
    setBusy(true);
    try {
      const done = await api<{ rating: Rating; followUp: boolean }>(`/applications/${appId}/rating`, {
        method: 'POST',
        body: { score, ...(comment.trim() ? { comment: comment.trim() } : {}) },
      });
      setRating(done.rating);
      setNotice(done.followUp ? t('rating.thanksFollowUp') : t('rating.thanks'));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" id="rating" aria-labelledby="rating-title">
      <h2 id="rating-title">{t('rating.title')}</h2>
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
      {rating === undefined && !error ? <p role="status">{t('loading')}</p> : null}
      {rating ? (
        <dl className="kv" data-testid="rating-given">
          <dt>{t('rating.yours')}</dt>
          <dd data-score={rating.score}>{t(`rating.score.${rating.score}`)}</dd>
          {rating.comment ? (
            <>
              <dt>{t('rating.comment')}</dt>
              <dd>{rating.comment}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {rating === null ? (
        <form onSubmit={submit} noValidate>
          <fieldset className="field group">
            <legend>{t('rating.question')}</legend>
            {RATING_SCORES.map((s) => (
              <label key={s} className="choice" htmlFor={`rating-${s}`}>
                <input
                  id={`rating-${s}`}
                  type="radio"
                  name="rating"
                  value={s}
                  checked={score === s}
                  onChange={() => setScore(s)}
                />
                <span>{t(`rating.score.${s}`)}</span>
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor="rating-comment">{t('rating.comment')}</label>
            <textarea
              id="rating-comment"
              maxLength={500}
              rows={3}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              aria-describedby="rating-comment-help"
            />
            <p id="rating-comment-help" className="help">
              {t('rating.commentHelp')}
            </p>
          </div>
          <p>
            <button type="submit" className="button" disabled={busy}>
              {t('rating.submit')}
            </button>
          </p>
        </form>
      ) : null}
    </section>
  );
}
