/** The front page: the areas (parent, caseworker, auditor, progress lookup, admin). */
import { PageTitle } from '../components/PageTitle.tsx';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';

export function Landing() {
  const { t } = useI18n();
  const areas = [
    { to: '/parent', title: t('area.parent'), text: t('landing.parent') },
    { to: '/caseworker', title: t('area.caseworker'), text: t('landing.caseworker') },
    { to: '/agent', title: t('area.agent'), text: t('landing.agent') },
    { to: '/auditor', title: t('area.auditor'), text: t('landing.auditor') },
    { to: '/track', title: t('progress.nav'), text: t('progress.card') },
    { to: '/admin', title: t('area.admin'), text: t('landing.admin') },
  ];
  return (
    <div>
      <PageTitle sub={t('landing.lead')}>{t('landing.title')}</PageTitle>
      <ul className="cards">
        {areas.map((a) => (
          <li key={a.to} className="card area-card">
            <h2>
              <Link to={a.to}>{a.title}</Link>
            </h2>
            <p>{a.text}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
