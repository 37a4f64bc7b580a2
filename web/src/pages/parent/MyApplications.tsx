/** "My applications": the parent's own applications (an agent's: those they filed) with their status. */
import { useEffect, useState } from 'react';
import { api, errorText } from '../../api.ts';
import { useCatalog } from '../../catalog.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { AppBadge } from '../../components/Status.tsx';
import { useI18n } from '../../i18n.tsx';
import { Link } from '../../router.tsx';
import type { ApplicationView } from '../../types.ts';
import { useCitizenBase } from './citizen.ts';

export function MyApplications() {
  const { t, tx, dt } = useI18n();
  const home = useCitizenBase();
  const { catalog } = useCatalog();
  const [apps, setApps] = useState<ApplicationView[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<{ items: ApplicationView[] }>('/applications').then(
      (r) => setApps([...r.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt))),
      (err: unknown) => setError(errorText(err)),
    );
  }, []);
  return (
    <div>
      <PageTitle>{t(home === '/agent' ? 'agent.mineTitle' : 'mine.title')}</PageTitle>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      {!apps && !error ? <p role="status">{t('loading')}</p> : null}
      {apps && apps.length === 0 ? (
        <p>
          {t(home === '/agent' ? 'agent.none' : 'mine.none')} <Link to={home}>{t('mine.start')}</Link>
        </p>
      ) : null}
      <ul className="cards">
        {apps?.map((a) => {
          const svc = catalog?.services.find((s) => s.id === a.service);
          const done = a.steps.filter((s) => s.status === 'done').length;
          const human = a.steps.filter((s) => s.kind !== 'auto' && s.status !== 'skipped').length;
          return (
            <li key={a.id} className="card app-card">
              <h2 className="h3">
                <Link to={`${home}/applications/${a.id}`}>{a.label}</Link>
              </h2>
              <p className="muted">{tx(svc?.title) || a.service}</p>
              <p>
                <AppBadge status={a.status} />{' '}
                <span className="muted">{t('mine.progress', { done, total: human })}</span>
              </p>
              <dl className="kv compact">
                <div>
                  <dt>{t('mine.submitted')}</dt>
                  <dd>{dt(a.createdAt)}</dd>
                </div>
                {a.dueAt && !a.completedAt ? (
                  <div>
                    <dt>{t('mine.due')}</dt>
                    <dd>{dt(a.dueAt)}</dd>
                  </div>
                ) : null}
                {a.completedAt ? (
                  <div>
                    <dt>{t('mine.completed')}</dt>
                    <dd>{dt(a.completedAt)}</dd>
                  </div>
                ) : null}
              </dl>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
