/**
 * The agent's part of the review step (代办): how the guardian authorised them — the signed
 * 委托书 uploaded before the submission, or the code texted to the guardian — and what the
 * submission then carries (`authorisation`, checked by the API: core/authorisation.ts).
 */
import { useId, useState } from 'react';
import { api, errorText } from '../../api.ts';
import { useI18n } from '../../i18n.tsx';
import { putFile } from '../../upload.ts';

export interface AuthorisationState {
  method: 'letter' | 'code';
  file: File | null;
  mobile: string;
  code: string;
}

export const emptyAuthorisation: AuthorisationState = { method: 'letter', file: null, mobile: '', code: '' };

type LetterTicket = {
  letterId: string;
  upload: { url: string; method: 'PUT'; headers: Record<string, string> };
};

/** What the panel still lacks, as a message key (null when complete). */
export function authorisationProblem(
  s: AuthorisationState,
): 'auth.fileRequired' | 'auth.codeRequired' | null {
  if (s.method === 'letter') return s.file ? null : 'auth.fileRequired';
  return /^\d{6}$/.test(s.code) ? null : 'auth.codeRequired';
}

/** Uploads the letter if needed and answers the submission's `authorisation`. */
export async function authorisationPayload(
  s: AuthorisationState,
): Promise<{ method: 'letter'; letterId: string } | { method: 'code'; code: string }> {
  if (s.method === 'code') return { method: 'code', code: s.code };
  const file = s.file as File;
  const ticket = await api<LetterTicket>('/authorisations/letters', {
    method: 'POST',
    body: { contentType: file.type, size: file.size },
  });
  await putFile(ticket.upload, file);
  return { method: 'letter', letterId: ticket.letterId };
}

export function AuthorisationPanel({
  value,
  onChange,
  error,
}: {
  value: AuthorisationState;
  onChange: (next: AuthorisationState) => void;
  error?: string | undefined;
}) {
  const { t } = useI18n();
  const id = useId();
  const [sent, setSent] = useState<number | null>(null);
  const [sendError, setSendError] = useState('');
  const [sending, setSending] = useState(false);
  const send = async () => {
    setSending(true);
    setSendError('');
    try {
      const r = await api<{ expiresInSeconds: number }>('/authorisations/code', {
        method: 'POST',
        body: { mobile: value.mobile.trim() },
      });
      setSent(Math.round(r.expiresInSeconds / 60));
    } catch (err) {
      setSendError(errorText(err));
    } finally {
      setSending(false);
    }
  };
  return (
    <section className={`card authorisation${error ? ' has-error' : ''}`} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('auth.title')}</h3>
      <p className="help">{t('auth.lead')}</p>
      <fieldset>
        <legend>{t('auth.method')}</legend>
        {(['letter', 'code'] as const).map((m) => (
          <label key={m} className="choice">
            <input
              type="radio"
              name={`${id}-method`}
              value={m}
              checked={value.method === m}
              onChange={() => onChange({ ...value, method: m })}
            />
            <span>{t(m === 'letter' ? 'auth.letter' : 'auth.code')}</span>
          </label>
        ))}
      </fieldset>
      {value.method === 'letter' ? (
        <div className="field">
          <label htmlFor="authorisation-file">{t('auth.file')}</label>
          <input
            id="authorisation-file"
            type="file"
            accept="application/pdf,image/jpeg,image/png"
            aria-describedby={error ? 'authorisation-error' : undefined}
            onChange={(e) => onChange({ ...value, file: e.target.files?.[0] ?? null })}
          />
        </div>
      ) : (
        <>
          <div className="field">
            <label htmlFor="authorisation-mobile">{t('auth.mobile')}</label>
            <input
              id="authorisation-mobile"
              type="tel"
              inputMode="numeric"
              autoComplete="off"
              value={value.mobile}
              onChange={(e) => onChange({ ...value, mobile: e.target.value })}
            />
            <button
              type="button"
              className="button secondary small"
              disabled={sending || !/^1\d{10}$/.test(value.mobile.trim())}
              onClick={() => void send()}
            >
              {t('auth.send')}
            </button>
            {sent !== null ? (
              <p className="help" role="status">
                {t('auth.sent', { minutes: sent })}
              </p>
            ) : null}
            {sendError ? (
              <p className="field-error" role="alert">
                ⚠ {sendError}
              </p>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="authorisation-code">{t('auth.codeLabel')}</label>
            <input
              id="authorisation-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              aria-describedby={error ? 'authorisation-error' : undefined}
              value={value.code}
              onChange={(e) => onChange({ ...value, code: e.target.value.trim() })}
            />
          </div>
        </>
      )}
      {error ? (
        <p className="field-error" id="authorisation-error">
          ⚠ {error}
        </p>
      ) : null}
    </section>
  );
}
