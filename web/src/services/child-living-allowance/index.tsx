/** The child-living-allowance module's console parts (the kernel pages ask web/src/services/registry.ts). */
import type { ConsoleModule } from '../module.ts';
import { AllowanceDesk, CITY_AGENCY, TOWNSHIP_AGENCY } from './AllowanceDesk.tsx';
import { Evidence } from './Evidence.tsx';
import { FamilyAllowance } from './FamilyAllowance.tsx';
import { Objection } from './Objection.tsx';

export const childLivingAllowanceConsole: ConsoleModule = {
  // the city confirms with the standard in force: the module's own action computes the amount
  computedApproval: (appId) => `/child-allowance/applications/${encodeURIComponent(appId)}/confirm`,
  ParentPanels: ({ app }) => (
    <>
      {app.status === 'completed' ? <FamilyAllowance appId={app.id} /> : null}
      <Evidence appId={app.id} canUpload={app.status === 'in-progress' || app.status === 'info-requested'} />
    </>
  ),
  CasePanels: ({ app }) => (
    <>
      <Objection app={app} />
      <Evidence appId={app.id} canUpload={false} />
    </>
  ),
  staffPages: [
    {
      path: '/caseworker/allowance',
      Page: AllowanceDesk,
      label: 'cla.desk',
      shownTo: (user) => user.agency === TOWNSHIP_AGENCY || user.agency === CITY_AGENCY,
    },
  ],
};
