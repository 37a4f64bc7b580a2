/** The child-living-allowance module in the console registry: data, and its components loaded on first use. */
import type { ConsoleEntry } from '../module.ts';
import { CITY_AGENCY, TOWNSHIP_AGENCY } from './agencies.ts';

export const childLivingAllowanceEntry: ConsoleEntry = {
  // the city confirms with the standard in force: the module's own action computes the amount
  computedApproval: (appId) => `/child-allowance/applications/${encodeURIComponent(appId)}/confirm`,
  parts: ['ParentPanels', 'CasePanels'],
  load: () => import('./index.tsx').then((m) => m.childLivingAllowanceConsole),
  staffPages: [
    {
      path: '/caseworker/allowance',
      label: 'cla.desk',
      shownTo: (user) => user.agency === TOWNSHIP_AGENCY || user.agency === CITY_AGENCY,
      load: () => import('./AllowanceDesk.tsx').then((m) => m.AllowanceDesk),
    },
  ],
};
