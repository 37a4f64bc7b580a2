/** The rehab-aid module's console parts (the kernel pages ask web/src/services/registry.ts). */
import type { ConsoleModule } from '../module.ts';
import { Documents } from './Documents.tsx';
import { RehabIndicators } from './Indicators.tsx';
import { RehabDesk } from './RehabDesk.tsx';
import { RehabPlan } from './RehabPlan.tsx';

export const rehabAidConsole: ConsoleModule = {
  // the city approves with the aid standard in force: the module's own action computes the caps
  computedApproval: (appId) => `/rehab/applications/${encodeURIComponent(appId)}/approve`,
  ParentPanels: ({ app }) => (
    <>
      {app.status === 'completed' ? <RehabPlan app={app} /> : null}
      <Documents appId={app.id} canUpload={app.status === 'in-progress' || app.status === 'info-requested'} />
    </>
  ),
  CasePanels: ({ app }) => <Documents appId={app.id} canUpload={false} />,
  Indicators: RehabIndicators,
  staffPages: [
    {
      path: '/caseworker/rehab',
      Page: RehabDesk,
      label: 'nav.rehabDesk',
      shownTo: (user) =>
        user.agency === 'dpf-city' || (user.agency?.startsWith('rehab-institution:') ?? false),
    },
  ],
};
