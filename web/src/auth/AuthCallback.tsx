/**
 * The page Cognito's hosted UI returns to (`/auth/callback?code=…&state=…`): finishes the sign-in
 * and goes on to the page the user came from, or says in both languages why it could not.
 */
import { useEffect, useState } from 'react';
import { PageTitle } from '../components/PageTitle.tsx';
import { type StringKey, useI18n } from '../i18n.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { setSession } from '../session.ts';
import { finishSignIn } from './flow.ts';
import type { CallbackError } from './hosted-ui.ts';

const messages: Record<CallbackError, StringKey> = {
  state: 'auth.callback.state',
  denied: 'auth.callback.denied',
  exchange: 'auth.callback.exchange',
  'no-role': 'auth.callback.noRole',
};

export function AuthCallback() {
  const { t } = useI18n();
  const { query } = useLocation();
  const search = query.toString();
  const [failure, setFailure] = useState<{ reason: CallbackError; returnTo: string } | null>(null);

  useEffect(() => {
    let live = true;
    void finishSignIn(new URLSearchParams(search)).then((outcome) => {
      if (!live) return;
      if (outcome.kind === 'signed-in') {
        setSession(outcome.session);
        navigate(outcome.returnTo, { replace: true });
      } else {
        setFailure({ reason: outcome.reason, returnTo: outcome.returnTo });
      }
    });
    return () => {
      live = false;
    };
  }, [search]);

  if (!failure) {
    return (
      <div className="narrow">
        <PageTitle>{t('auth.callback.title')}</PageTitle>
        <p aria-live="polite">{t('loading')}</p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <PageTitle>{t('auth.callback.failedTitle')}</PageTitle>
      <p className="alert error" role="alert">
        {t(messages[failure.reason])}
      </p>
      <p>
        <Link to={failure.returnTo}>{t('auth.callback.retry')}</Link>
        {' · '}
        <Link to="/">{t('backHome')}</Link>
      </p>
    </div>
  );
}
