/**
 * Sign-in for an area's role. Locally through the dev identity provider (`POST /local/token`):
 * pick a demo user of the role, or create a parent / a caseworker of any agency and township. On
 * AWS (config.json with auth "cognito" or "oidc") one button leads to the hosted sign-in (Cognito or the OIDC provider): the citizen
 * pool for parents, the staff pool for caseworkers, auditors and admins.
 */
import { type FormEvent, useState } from 'react';
import { api, errorText } from '../api.ts';
import { runtimeConfig } from '../auth/config.ts';
import { beginSignIn } from '../auth/flow.ts';
import { useCatalog } from '../catalog.ts';
import { useDemoUsers } from '../demo-users.ts';
import { useI18n } from '../i18n.tsx';
import { type Role, setSession, type User, useSession } from '../session.ts';
import { PageTitle } from './PageTitle.tsx';

async function signIn(user: User) {
  const { token } = await api<{ token: string }>('/local/token', {
    method: 'POST',
    body: user,
    anonymous: true,
  });
  setSession({ token, user });
}

export function SignIn({ role }: { role: Role }) {
  return runtimeConfig().auth !== 'local' ? <HostedSignIn role={role} /> : <LocalSignIn role={role} />;
}

/** One button to the hosted UI of the role's pool; comes back to this page after sign-in. */
function HostedSignIn({ role }: { role: Role }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const go = async () => {
    setBusy(true);
    setError('');
    try {
      await beginSignIn(role, window.location.pathname + window.location.search, lang);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <div className="narrow">
      <PageTitle sub={t(role === 'parent' ? 'signIn.hostedLead.parent' : 'signIn.hostedLead.staff')}>
        {t(`signIn.title.${role}`)}
      </PageTitle>
      {session ? <p className="alert warn">{t('signIn.otherRole')}</p> : null}
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="button" className="button" disabled={busy} aria-busy={busy} onClick={() => void go()}>
        {busy ? t('signIn.redirecting') : t('signIn.hosted')}
      </button>
    </div>
  );
}

function LocalSignIn({ role }: { role: Role }) {
  const { t, tx } = useI18n();
  const { catalog } = useCatalog();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [agency, setAgency] = useState('');
  const [township, setTownship] = useState('');
  const users = useDemoUsers().filter((u) => u.role === role);

  const go = async (user: User) => {
    setBusy(true);
    setError('');
    try {
      await signIn(user);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const create = (e: FormEvent) => {
    e.preventDefault();
    const slug = Math.random().toString(36).slice(2, 8);
    if (role === 'parent') {
      if (!name.trim()) {
        setError(t('signIn.nameRequired'));
        return;
      }
      void go({
        sub: `parent-${slug}`,
        role,
        name: name.trim(),
        ...(email.trim() ? { email: email.trim() } : {}),
      });
    } else if (role === 'caseworker') {
      if (!agency) {
        setError(t('signIn.agencyRequired'));
        return;
      }
      const level = catalog?.reference.agencies.find((a) => a.id === agency)?.level;
      if (level === 'township' && !township) {
        setError(t('signIn.townshipRequired'));
        return;
      }
      void go({
        sub: `cw-${agency}${level === 'township' ? `-${township}` : ''}-${slug}`,
        role,
        agency,
        ...(level === 'township' ? { township } : {}),
        name: name.trim() || undefined,
      });
    }
  };

  const agencyName = (id?: string) => tx(catalog?.reference.agencies.find((a) => a.id === id)?.name) || id;
  const townshipName = (id?: string) => tx(catalog?.reference.townships.find((a) => a.id === id)?.name) || id;
  const level = catalog?.reference.agencies.find((a) => a.id === agency)?.level;

  return (
    <div className="narrow">
      <PageTitle sub={t('signIn.lead')}>{t(`signIn.title.${role}`)}</PageTitle>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      <section aria-labelledby="demo-users">
        <h2 id="demo-users">{t('signIn.demoUsers')}</h2>
        <ul className="user-list">
          {users.map((u) => (
            <li key={u.sub}>
              <button type="button" className="user-button" disabled={busy} onClick={() => void go(u)}>
                <span className="user-name">{u.name ?? u.sub}</span>
                <span className="user-meta">
                  {u.agency ? agencyName(u.agency) : u.email}
                  {u.township ? ` · ${townshipName(u.township)}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      {role === 'parent' || role === 'caseworker' ? (
        <section aria-labelledby="new-user" className="card">
          <h2 id="new-user">{t(role === 'parent' ? 'signIn.newParent' : 'signIn.newCaseworker')}</h2>
          <form onSubmit={create} noValidate>
            <div className="field">
              <label htmlFor="new-name">{t('signIn.name')}</label>
              <input
                id="new-name"
                value={name}
                autoComplete="name"
                onChange={(e) => setName(e.target.value)}
              />
            </div>
            {role === 'parent' ? (
              <div className="field">
                <label htmlFor="new-email">
                  {t('signIn.email')}
                  <span className="optional"> （{t('optional')}）</span>
                </label>
                <input
                  id="new-email"
                  type="email"
                  value={email}
                  autoComplete="email"
                  onChange={(e) => setEmail(e.target.value)}
                />
              </div>
            ) : (
              <>
                <div className="field">
                  <label htmlFor="new-agency">{t('signIn.agency')}</label>
                  <select id="new-agency" value={agency} onChange={(e) => setAgency(e.target.value)}>
                    <option value="">{t('choose')}</option>
                    {/* an agency out of use (reference data) takes no new staff */}
                    {catalog?.reference.agencies
                      .filter((a) => a.active !== false)
                      .map((a) => (
                        <option key={a.id} value={a.id}>
                          {tx(a.name)}
                        </option>
                      ))}
                  </select>
                </div>
                {level === 'township' ? (
                  <div className="field">
                    <label htmlFor="new-township">{t('signIn.township')}</label>
                    <select id="new-township" value={township} onChange={(e) => setTownship(e.target.value)}>
                      <option value="">{t('choose')}</option>
                      {catalog?.reference.townships.map((a) => (
                        <option key={a.id} value={a.id}>
                          {tx(a.name)}
                        </option>
                      ))}
                    </select>
                  </div>
                ) : null}
              </>
            )}
            <button type="submit" className="button" disabled={busy}>
              {t('signIn.create')}
            </button>
          </form>
        </section>
      ) : null}
    </div>
  );
}
