/** The rehab-aid module's console components (loaded on first use: console.ts). */
import { CaseDocuments } from '../../components/CaseDocuments.tsx';
import type { StringKey } from '../../i18n.tsx';
import type { ApplicationView } from '../../types.ts';
import type { ConsoleModule } from '../module.ts';
import { RehabIndicators } from './Indicators.tsx';
import { RehabPlan } from './RehabPlan.tsx';
import type { RehabDocument } from './types.ts';

const KINDS = [
  'diagnosis',
  'disability-certificate',
  'hukou',
] as const satisfies readonly RehabDocument['kind'][];

function Documents({ app, canUpload }: { app: ApplicationView; canUpload: boolean }) {
  return (
    <CaseDocuments
      appId={app.id}
      canUpload={canUpload}
      base="/rehab"
      kinds={KINDS}
      kindLabel={(k) => `docs.kind.${k}` as StringKey}
      title="docs.title"
      id="documents-title"
    />
  );
}

export const rehabAidConsole: ConsoleModule = {
  ParentPanels: ({ app }) => (
    <>
      {app.status === 'completed' ? <RehabPlan app={app} /> : null}
      <Documents app={app} canUpload={app.status === 'in-progress' || app.status === 'info-requested'} />
    </>
  ),
  CasePanels: ({ app }) => <Documents app={app} canUpload={false} />,
  Indicators: RehabIndicators,
};
