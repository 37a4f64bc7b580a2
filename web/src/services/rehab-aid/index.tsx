/** The rehab-aid module's console components (loaded on first use: console.ts). */
import { CaseDocuments, type DocumentsPanelSpec } from '../../components/CaseDocuments.tsx';
import type { StringKey } from '../../i18n.tsx';
import type { ConsoleModule } from '../module.ts';
import { RehabIndicators } from './Indicators.tsx';
import { RehabPlan } from './RehabPlan.tsx';
import type { RehabDocument } from './types.ts';

const documents: DocumentsPanelSpec = {
  base: '/rehab',
  kinds: ['diagnosis', 'disability-certificate', 'hukou'] as const satisfies readonly RehabDocument['kind'][],
  kindLabel: (k) => `docs.kind.${k}` as StringKey,
  title: 'docs.title',
  id: 'documents-title',
};

export const rehabAidConsole: ConsoleModule = {
  ParentPanels: ({ app }) => (
    <>
      {app.status === 'completed' ? <RehabPlan app={app} /> : null}
      <CaseDocuments app={app} family spec={documents} />
    </>
  ),
  CasePanels: ({ app }) => <CaseDocuments app={app} family={false} spec={documents} />,
  Indicators: RehabIndicators,
};
