/** The child-living-allowance module's console components (loaded on first use: console.ts). */
import { CaseDocuments, type DocumentsPanelSpec } from '../../components/CaseDocuments.tsx';
import type { StringKey } from '../../i18n.tsx';
import type { Reply } from '../../types.ts';
import type { ConsoleModule } from '../module.ts';
import { FamilyAllowance } from './FamilyAllowance.tsx';
import { Objection } from './Objection.tsx';

type EvidenceKind = Reply<'/child-allowance/applications/{id}/documents', 'get'>['items'][number]['kind'];

/** each parent's situation evidenced (the kernel's case documents under this module's path) */
const evidence: DocumentsPanelSpec = {
  base: '/child-allowance',
  kinds: [
    'father-evidence',
    'mother-evidence',
    'household-register',
    'other',
  ] as const satisfies readonly EvidenceKind[],
  kindLabel: (k) => `cla.kind.${k}` as StringKey,
  title: 'cla.evidence',
  id: 'cla-evidence-title',
};

export const childLivingAllowanceConsole: ConsoleModule = {
  ParentPanels: ({ app }) => (
    <>
      {app.status === 'completed' ? <FamilyAllowance appId={app.id} /> : null}
      <CaseDocuments app={app} family spec={evidence} />
    </>
  ),
  CasePanels: ({ app }) => (
    <>
      <Objection app={app} />
      <CaseDocuments app={app} family={false} spec={evidence} />
    </>
  ),
};
