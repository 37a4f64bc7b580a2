/**
 * 办件进度查询 without signing in: the application number and the form's mobile number, a code by
 * SMS, then each step's status and due dates (the API answers with no personal data).
 */
import { type FormEvent, useState } from 'react';
import { api } from '../api.ts';
import { useCodeForm } from '../components/code-form.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { AppBadge, StepBadge } from '../components/Status.tsx';
import { useI18n } from '../i18n.tsx';
import type { Schemas } from '../types.ts';

type View = Schemas['ProgressView'];

export function Progress() {
  const { t, tx, dt } = useI18n();
  const { values, failure, busy, run, input } = useCodeForm(
    ['applicationNumber', 'mobile', 'code'] as const,
    'progress',
  );
  const [notice, setNotice] = useState('');
  const [view, setView] = useState<View | null>(null);

  const sendCode = () =>
    run(async () => {
      setNotice('');
      const res = await api<Schemas['ProgressCodeReply']>('/progress/code', {
        method: 'POST',
        anonymous: true,
        body: { applicationNumber: values.applicationNumber.trim(), mobile: values.mobile.trim() },
      });
      setNotice(t('progress.sent', { min: Math.round(res.expiresInSeconds / 60) }));
    });

  const show = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      setView(null);
      setView(
        await api<View>('/progress', {
          method: 'POST',
          anonymous: true,
          body: {
            applicationNumber: values.applicationNumber.trim(),
            mobile: values.mobile.trim(),
            code: values.code.trim(),
          },
        }),
      );
    });
  };

  return (
    <div className="narrow">
      <PageTitle sub={t('progress.lead')}>{t('progress.title')}</PageTitle>
      <form onSubmit={show} noValidate>
        {input('applicationNumber', t('progress.number'), { help: t('progress.numberHelp') })}
        {input('mobile', t('progress.mobile'), { inputMode: 'tel', autoComplete: 'tel-national' })}
        <p>
          <button type="button" className="button secondary" onClick={sendCode} disabled={busy}>
            {t('progress.send')}
          </button>
        </p>
        <div role="status">{notice ? <p className="alert info">{notice}</p> : null}</div>
        {input('code', t('progress.code'), {
          help: t('progress.codeHelp'),
          inputMode: 'numeric',
          autoComplete: 'one-time-code',
        })}
        <p>
          <button type="submit" className="button" disabled={busy}>
            {t('progress.show')}
          </button>
        </p>
      </form>
      {failure ? (
        <p className="alert error" role="alert">
          {failure}
        </p>
      ) : null}
      {view ? (
        <section aria-labelledby="progress-result" className="progress-result">
          <h2 id="progress-result">{t('progress.result')}</h2>
          <dl className="kv">
            <div>
              <dt>{t('progress.number')}</dt>
              <dd>{view.applicationNumber}</dd>
            </div>
            <div>
              <dt>{t('progress.service')}</dt>
              <dd>{tx(view.serviceTitle)}</dd>
            </div>
            <div>
              <dt>{t('progress.status')}</dt>
              <dd>
                <AppBadge status={view.status} />
              </dd>
            </div>
            <div>
              <dt>{t('progress.submitted')}</dt>
              <dd>{dt(view.submittedAt)}</dd>
            </div>
            {view.completedAt ? (
              <div>
                <dt>{t('progress.completed')}</dt>
                <dd>{dt(view.completedAt)}</dd>
              </div>
            ) : view.dueAt ? (
              <div>
                <dt>{t('progress.due')}</dt>
                <dd>{dt(view.dueAt)}</dd>
              </div>
            ) : null}
          </dl>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('progress.step')}</th>
                <th scope="col">{t('progress.status')}</th>
                <th scope="col">{t('progress.stepDue')}</th>
                <th scope="col">{t('progress.decided')}</th>
              </tr>
            </thead>
            <tbody>
              {view.steps.map((s) => (
                <tr key={s.step}>
                  <th scope="row">{tx(s.title)}</th>
                  <td>
                    <StepBadge status={s.status} />
                  </td>
                  <td>{s.dueAt ? dt(s.dueAt) : '—'}</td>
                  <td>{s.decidedAt ? dt(s.decidedAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
