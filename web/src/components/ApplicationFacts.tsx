/**
 * The key facts of one application (status, number, submitted, due while open, completed), shown
 * the same way to the parent and to the caseworker.
 */
import { useI18n } from '../i18n.tsx';
import type { ApplicationView } from '../types.ts';
import { AppBadge } from './Status.tsx';

export function ApplicationFacts({ app }: { app: ApplicationView }) {
  const { t, dt } = useI18n();
  return (
    <dl className="kv compact">
      <div>
        <dt>{t('detail.status')}</dt>
        <dd>
          <AppBadge status={app.status} />
        </dd>
      </div>
      <div>
        <dt>{t('detail.number')}</dt>
        <dd className="mono">{app.id}</dd>
      </div>
      <div>
        <dt>{t('mine.submitted')}</dt>
        <dd>{dt(app.createdAt)}</dd>
      </div>
      {app.dueAt && !app.completedAt ? (
        <div>
          <dt>{t('mine.due')}</dt>
          <dd>{dt(app.dueAt)}</dd>
        </div>
      ) : null}
      {app.completedAt ? (
        <div>
          <dt>{t('mine.completed')}</dt>
          <dd>{dt(app.completedAt)}</dd>
        </div>
      ) : null}
    </dl>
  );
}
