/** The child-living-allowance module's console components (loaded on first use: console.ts). */
import type { ConsoleModule } from '../module.ts';
import { Evidence } from './Evidence.tsx';
import { FamilyAllowance } from './FamilyAllowance.tsx';
import { Objection } from './Objection.tsx';

export const childLivingAllowanceConsole: ConsoleModule = {
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
};
