/** Parent portal home: the services to apply for and the drafts to resume. */
import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../../api.ts';
import { useCatalog } from '../../catalog.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { type DraftSummary, deleteDraft, listDrafts } from '../../forms/drafts.ts';
import { useI18n } from '../../i18n.tsx';
import { Link } from '../../router.tsx';
import { useCitizenBase } from './citizen.ts';

export function ParentHome() {
  const { t, tx, dt } = useI18n();
  const home = useCitizenBase();
  const { catalog, error } = useCatalog();
  const [drafts, setDrafts] = useState<DraftSummary[]>([]);
  const [draftError, setDraftError] = useState('');
  const reload = useCallback(() => {
    listDrafts().then(
      (items) => {
        setDrafts(items);
        setDraftError('');
      },
      (err) => setDraftError(errorText(err)),
    );
  }, []);
  useEffect(reload, [reload]);

  return (
    <div>
      <PageTitle sub={t('parent.lead')}>{t('parent.title')}</PageTitle>
      {error ? (
        <p className="alert error" role="alert">
          {errorText(error)}
        </p>
      ) : null}
      {draftError ? (
        <p className="alert error" role="alert">
          {draftError}
        </p>
      ) : null}
      {drafts.length ? (
        <section aria-labelledby="drafts-title" className="card">
          <h2 id="drafts-title">{t('drafts.title')}</h2>
          <p className="help">{t('drafts.note')}</p>
          <ul className="plain-list">
            {drafts.map((d) => {
              const svc = catalog?.services.find((s) => s.id === d.service);
              return (
                <li key={d.id} className="row-item">
                  <span>
                    <strong>{tx(svc?.title) || d.service}</strong>
                    <span className="muted">
                      {' '}
                      · {t('drafts.saved', { time: dt(d.updatedAt) })} ·{' '}
                      {t('drafts.expires', { time: dt(d.expiresAt) })}
                    </span>
                  </span>
                  <span className="actions">
                    <Link className="button small" to={`${home}/apply/${d.service}?draft=${d.id}`}>
                      {t('drafts.resume')}
                    </Link>
                    <button
                      type="button"
                      className="button small secondary"
                      onClick={() => {
                        if (!window.confirm(t('drafts.confirmDelete'))) return;
                        deleteDraft(d.service, d.id).then(reload, (err) => setDraftError(errorText(err)));
                      }}
                    >
                      {t('drafts.delete')}
                    </button>
                  </span>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="services-title">
        <h2 id="services-title">{t('services.title')}</h2>
        {!catalog && !error ? <p role="status">{t('loading')}</p> : null}
        <ul className="cards">
          {catalog?.services.map((s) => (
            <li key={s.id} className="card service-card">
              <h3>{tx(s.title)}</h3>
              {s.description ? <p>{tx(s.description)}</p> : null}
              {s.sla ? <p className="muted">{t('services.sla', { n: s.sla.workingDays })}</p> : null}
              <Link
                className="button"
                to={`${home}/apply/${s.id}`}
                aria-label={`${t('services.apply')}：${tx(s.title)}`}
              >
                {t('services.apply')}
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
