/**
 * Routes of the three areas; each area asks for a sign-in of its role first. `/auth/callback` is
 * where the Cognito hosted UI returns after sign-in on AWS. Every page but the landing page is
 * its own chunk, loaded when first opened (issue 18): a parent loads no caseworker or auditor
 * code, and the auditor's charting code loads with the auditor's pages only.
 */
import { lazy, type ReactNode, Suspense } from 'react';
import { AuthCallback } from './auth/AuthCallback.tsx';
import { CALLBACK_PATH } from './auth/hosted-ui.ts';
import { type Area, Layout } from './components/Layout.tsx';
import { PageErrorBoundary } from './components/PageErrorBoundary.tsx';
import { PageTitle } from './components/PageTitle.tsx';
import { SignIn } from './components/SignIn.tsx';
import { useI18n } from './i18n.tsx';
import { Landing } from './pages/Landing.tsx';
import { Link, useLocation } from './router.tsx';
import { staffPages } from './services/registry.ts';
import { type Role, useSession } from './session.ts';

const Progress = lazy(() => import('./pages/Progress.tsx').then((m) => ({ default: m.Progress })));
const ParentHome = lazy(() =>
  import('./pages/parent/ParentHome.tsx').then((m) => ({ default: m.ParentHome })),
);
const Apply = lazy(() => import('./pages/parent/Apply.tsx').then((m) => ({ default: m.Apply })));
const MyApplications = lazy(() =>
  import('./pages/parent/MyApplications.tsx').then((m) => ({ default: m.MyApplications })),
);
const LinkCase = lazy(() => import('./pages/parent/LinkCase.tsx').then((m) => ({ default: m.LinkCase })));
const ApplicationDetail = lazy(() =>
  import('./pages/parent/ApplicationDetail.tsx').then((m) => ({ default: m.ApplicationDetail })),
);
const Queue = lazy(() => import('./pages/caseworker/Queue.tsx').then((m) => ({ default: m.Queue })));
const FollowUps = lazy(() =>
  import('./pages/caseworker/FollowUps.tsx').then((m) => ({ default: m.FollowUps })),
);
const CaseView = lazy(() => import('./pages/caseworker/CaseView.tsx').then((m) => ({ default: m.CaseView })));
// The auditor's pages, with the charting code, load only when an auditor opens them.
const Dashboard = lazy(() => import('./pages/auditor/Dashboard.tsx').then((m) => ({ default: m.Dashboard })));
const IndicatorBoard = lazy(() => import('./pages/auditor/IndicatorBoard.tsx'));
const YearlyReport = lazy(() => import('./pages/auditor/YearlyReport.tsx'));
const Ratings = lazy(() => import('./pages/auditor/Ratings.tsx'));
const Operations = lazy(() => import('./pages/auditor/Operations.tsx'));
const ReferenceData = lazy(() => import('./pages/admin/ReferenceData.tsx'));
const AdminCalendar = lazy(() => import('./pages/admin/Calendar.tsx'));

function Loading() {
  const { t } = useI18n();
  return <p aria-live="polite">{t('loading')}</p>;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <div className="narrow">
      <PageTitle>{t('notFound')}</PageTitle>
      <p>
        <Link to="/">{t('backHome')}</Link>
      </p>
    </div>
  );
}

function route(path: string, query: URLSearchParams): { area: Area; role?: Role; page: ReactNode } {
  const match = (re: RegExp) => re.exec(path)?.[1];
  if (path === '/') return { area: 'home', page: <Landing /> };
  if (path === CALLBACK_PATH) return { area: 'home', page: <AuthCallback /> };
  // 办件进度查询: public, no sign-in (not /progress: locally the API shares the origin)
  if (path === '/track') return { area: 'home', page: <Progress /> };
  if (path === '/parent/link') return { area: 'parent', role: 'parent', page: <LinkCase /> };
  // the family's pages; agents filing for families (代办) use them under /agent
  const citizen = /^\/(parent|agent)(\/.*)?$/.exec(path);
  if (citizen) {
    const who = citizen[1] as 'parent' | 'agent';
    const rest = citizen[2] ?? '';
    const at = (page: ReactNode) => ({ area: who, role: who, page });
    if (rest === '') return at(<ParentHome />);
    const service = /^\/apply\/([\w-]+)$/.exec(rest)?.[1];
    if (service) return at(<Apply key={service} service={service} draftId={query.get('draft')} />);
    if (rest === '/applications') return at(<MyApplications />);
    const mine = /^\/applications\/([0-9A-Z]{26})$/.exec(rest)?.[1];
    if (mine) return at(<ApplicationDetail key={mine} id={mine} />);
  }
  if (path === '/caseworker') return { area: 'caseworker', role: 'caseworker', page: <Queue /> };
  if (path === '/caseworker/followups')
    return { area: 'caseworker', role: 'caseworker', page: <FollowUps /> };
  // the service modules' desks
  const desk = staffPages().find((p) => p.path === path);
  if (desk) return { area: 'caseworker', role: 'caseworker', page: <desk.Page /> };
  const task = match(/^\/caseworker\/cases\/([0-9A-Z]{26})$/);
  if (task) return { area: 'caseworker', role: 'caseworker', page: <CaseView key={task} id={task} /> };
  if (path === '/auditor') return { area: 'auditor', role: 'auditor', page: <Dashboard /> };
  if (path === '/auditor/indicators') return { area: 'auditor', role: 'auditor', page: <IndicatorBoard /> };
  if (path === '/auditor/report') return { area: 'auditor', role: 'auditor', page: <YearlyReport /> };
  if (path === '/auditor/operations') return { area: 'auditor', role: 'auditor', page: <Operations /> };
  if (path === '/auditor/ratings') return { area: 'auditor', role: 'auditor', page: <Ratings /> };
  if (path === '/admin') return { area: 'admin', role: 'admin', page: <ReferenceData /> };
  if (path === '/admin/holidays') return { area: 'admin', role: 'admin', page: <AdminCalendar /> };
  const areas: Area[] = ['parent', 'agent', 'caseworker', 'auditor', 'admin'];
  const area: Area = areas.find((x) => path.startsWith(`/${x}`)) ?? 'home';
  return { area, page: <NotFound /> };
}

export function App() {
  const { path, query } = useLocation();
  const session = useSession();
  const { area, role, page } = route(path, query);
  const needsSignIn = role && (!session || session.user.role !== role);
  // One boundary per page (keyed by path): a fault on one page leaves the shell and the others.
  return (
    <Layout area={area}>
      <PageErrorBoundary key={path}>
        {needsSignIn ? (
          <SignIn key={role} role={role} />
        ) : (
          // a page's chunk loads on its first visit
          <Suspense fallback={<Loading />}>{page}</Suspense>
        )}
      </PageErrorBoundary>
    </Layout>
  );
}
