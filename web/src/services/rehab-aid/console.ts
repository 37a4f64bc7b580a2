/** The rehab-aid module in the console registry: data, and its components loaded on first use. */
import type { ConsoleEntry } from '../module.ts';

export const rehabAidEntry: ConsoleEntry = {
  // the city approves with the aid standard in force: the module's own action computes the caps
  computedApproval: (appId) => `/rehab/applications/${encodeURIComponent(appId)}/approve`,
  parts: ['ParentPanels', 'CasePanels', 'Indicators'],
  load: () => import('./index.tsx').then((m) => m.rehabAidConsole),
  staffPages: [
    {
      path: '/caseworker/rehab',
      label: 'nav.rehabDesk',
      shownTo: (user) =>
        user.agency === 'dpf-city' || (user.agency?.startsWith('rehab-institution:') ?? false),
      load: () => import('./RehabDesk.tsx').then((m) => m.RehabDesk),
    },
  ],
};
