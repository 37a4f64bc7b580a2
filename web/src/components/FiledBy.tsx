/**
 * Who filed a case for the family (代办) and on what authorisation; the letter opens through a
 * short-lived link, each view recorded in the case history by the API.
 */
import { useState } from 'react';
import { api, errorText } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import type { ApplicationView } from '../types.ts';

export function FiledBy({ app }: { app: ApplicationView }) {
  const { t } = useI18n();
  const [error, setError] = useState('');
  const by = app.filedBy;
  if (!by) return null;
  const open = async () => {
    setError('');
    try {
      const link = await api<{ url: string }>(`/applications/${app.id}/authorisation-letter`);
      window.open(link.url, '_blank', 'noopener');
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <p className="filed-by" data-filed-by={by.method}>
      {t('filed.by', { who: by.name ?? by.org ?? '' })}
      {' · '}
      {t(by.method === 'letter' ? 'filed.letter' : 'filed.code')}
      {by.letter ? (
        <>
          {' '}
          <button type="button" className="link-button" onClick={() => void open()}>
            {t('filed.viewLetter')}
          </button>
        </>
      ) : null}
      {error ? (
        <span className="alert error" role="alert">
          {' '}
          {error}
        </span>
      ) : null}
    </p>
  );
}
