/**
 * 关联家人的申请: the other guardian named on a form (a father, a second guardian) links the case
 * to their own account with the application number and a code texted to their number on the
 * form; the case then shows in their applications and they act on it as the applicant does.
 */
import { type FormEvent, useState } from 'react';
import { api } from '../../api.ts';
import { useCodeForm } from '../../components/code-form.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { useI18n } from '../../i18n.tsx';
import { Link } from '../../router.tsx';
import type { Schemas } from '../../types.ts';

export function LinkCase() {
  const { t } = useI18n();
  const { values, failure, busy, run, input } = useCodeForm(
    ['applicationNumber', 'mobile', 'code'] as const,
    'link',
  );
  const [notice, setNotice] = useState('');
  const [linked, setLinked] = useState<string | null>(null);
  const number = () => values.applicationNumber.trim().toUpperCase();

  const sendCode = () =>
    run(async () => {
      setNotice('');
      const res = await api<Schemas['ProgressCodeReply']>(
        `/applications/${encodeURIComponent(number())}/guardians/code`,
        { method: 'POST', body: { mobile: values.mobile.trim() } },
      );
      setNotice(t('link.sent', { min: Math.round(res.expiresInSeconds / 60) }));
    });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const res = await api<Schemas['GuardianLinkReply']>(
        `/applications/${encodeURIComponent(number())}/guardians`,
        { method: 'POST', body: { mobile: values.mobile.trim(), code: values.code.trim() } },
      );
      setLinked(res.applicationNumber);
    });
  };

  return (
    <div className="narrow">
      <PageTitle sub={t('link.lead')}>{t('link.title')}</PageTitle>
      {linked ? (
        <p className="alert success" role="status">
          {t('link.done')} <Link to={`/parent/applications/${linked}`}>{t('link.open')}</Link>
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          {input('applicationNumber', t('progress.number'), { help: t('link.numberHelp') })}
          {input('mobile', t('link.mobile'), { inputMode: 'tel', autoComplete: 'tel-national' })}
          <p>
            <button type="button" className="button secondary" onClick={sendCode} disabled={busy}>
              {t('progress.send')}
            </button>
          </p>
          <div role="status">{notice ? <p className="alert info">{notice}</p> : null}</div>
          {input('code', t('progress.code'), { inputMode: 'numeric', autoComplete: 'one-time-code' })}
          {failure ? (
            <p className="alert error" role="alert">
              {failure}
            </p>
          ) : null}
          <p>
            <button type="submit" className="button" disabled={busy}>
              {t('link.submit')}
            </button>
          </p>
        </form>
      )}
    </div>
  );
}
