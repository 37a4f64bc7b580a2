/** The rehab-aid module's console components (loaded on first use: console.ts). */
import type { ConsoleModule } from '../module.ts';
import { Documents } from './Documents.tsx';
import { RehabIndicators } from './Indicators.tsx';
import { RehabPlan } from './RehabPlan.tsx';

export const rehabAidConsole: ConsoleModule = {
  ParentPanels: ({ app }) => (
    <>
      {app.status === 'completed' ? <RehabPlan app={app} /> : null}
      <Documents appId={app.id} canUpload={app.status === 'in-progress' || app.status === 'info-requested'} />
    </>
  ),
  CasePanels: ({ app }) => <Documents appId={app.id} canUpload={false} />,
  Indicators: RehabIndicators,
};
