/** Page frame: skip link, banner with area navigation, language switch and the signed-in user. */

import type { ReactNode } from 'react';
import { runtimeConfig } from '../auth/config.ts';
import { useI18n } from '../i18n.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { staffPages } from '../services/registry.ts';
import { type Role, setSession, useSession } from '../session.ts';

export type Area = 'home' | 'parent' | 'agent' | 'caseworker' | 'auditor' | 'admin';

const areaRole: Record<Exclude<Area, 'home'>, Role> = {
  parent: 'parent',
  agent: 'agent',
  caseworker: 'caseworker',
  auditor: 'auditor',
  admin: 'admin',
};

export function Layout({ area, children }: { area: Area; children: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  const session = useSession();
  const { path } = useLocation();
  const signedIn = session && area !== 'home' && session.user.role === areaRole[area];
  const navOf: Record<Area, () => Array<{ to: string; label: string }>> = {
    home: () => [],
    parent: () => [
      { to: '/parent', label: t('nav.services') },
      { to: '/parent/applications', label: t('nav.myApplications') },
      { to: '/parent/link', label: t('nav.link') },
    ],
    agent: () => [
      { to: '/agent', label: t('nav.agentServices') },
      { to: '/agent/applications', label: t('nav.agentFiled') },
    ],
    caseworker: () => [
      { to: '/caseworker', label: t('nav.queue') },
      // 差评回访: the citizen service centre works the follow-ups of poor ratings
      ...(session?.user.agency === 'service-center'
        ? [{ to: '/caseworker/followups', label: t('nav.followUps') }]
        : []),
      ...staffPages()
        .filter((p) => session && p.shownTo(session.user))
        .map((p) => ({ to: p.path, label: t(p.label) })),
    ],
    auditor: () => [
      { to: '/auditor', label: t('nav.reports') },
      { to: '/auditor/operations', label: t('nav.operations') },
      { to: '/auditor/indicators', label: t('nav.indicators') },
      { to: '/auditor/report', label: t('nav.yearly') },
      { to: '/auditor/ratings', label: t('nav.ratings') },
    ],
    admin: () => [
      { to: '/admin', label: t('nav.reference') },
      { to: '/admin/holidays', label: t('nav.calendar') },
    ],
  };
  const nav = navOf[area]();
  // the item whose path is the longest prefix of this page ('/parent' also owns the form pages)
  const owns = (to: string) =>
    to === path ||
    (to !== '/parent' && to !== '/agent' && path.startsWith(`${to}/`)) ||
    ((to === '/parent' || to === '/agent') && path.startsWith(`${to}/apply`));
  const active = nav
    .filter((n) => owns(n.to))
    .reduce<string | undefined>((best, n) => (best && best.length >= n.to.length ? best : n.to), undefined);
  const current = (to: string) => to === active;
  return (
    <>
      <a className="skip-link" href="#main">
        {t('skip')}
      </a>
      <header className="banner">
        <div className="banner-inner">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true">
              一
            </span>
            <span>
              {t('appName')}
              {area !== 'home' ? <span className="brand-area"> · {t(`area.${area}`)}</span> : null}
            </span>
          </Link>
          <div className="banner-tools">
            <button
              type="button"
              className="link-button lang-switch"
              lang={lang === 'en' ? 'zh-CN' : 'en'}
              onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
            >
              {lang === 'en' ? '中文' : 'English'}
            </button>
            {signedIn ? (
              <>
                <span className="who">
                  <span className="visually-hidden">{t('signedInAs')} </span>
                  {session.user.name ?? session.user.sub}
                </span>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    setSession(null);
                    navigate(area === 'parent' ? '/parent' : `/${area}`);
                  }}
                >
                  {t('signOut')}
                </button>
              </>
            ) : null}
          </div>
        </div>
        {signedIn && nav.length ? (
          <nav className="area-nav" aria-label={t('nav.label')}>
            <ul>
              {nav.map((n) => (
                <li key={n.to}>
                  <Link to={n.to} aria-current={current(n.to) ? 'page' : undefined}>
                    {n.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <p>
          {t('footer')}
          {runtimeConfig().auth === 'local' ? ` · ${t('footer.local')}` : ''}
        </p>
      </footer>
    </>
  );
}
