/** The child-living-allowance module's console components (loaded on first use: console.ts). */
import { CaseDocuments } from '../../components/CaseDocuments.tsx';
import type { StringKey } from '../../i18n.tsx';
import type { ApplicationView, Reply } from '../../types.ts';
import type { ConsoleModule } from '../module.ts';
import { FamilyAllowance } from './FamilyAllowance.tsx';
import { Objection } from './Objection.tsx';

type EvidenceKind = Reply<'/child-allowance/applications/{id}/documents', 'get'>['items'][number]['kind'];
const KINDS = [
  'father-evidence',
  'mother-evidence',
  'household-register',
  'other',
] as const satisfies readonly EvidenceKind[];

/** each parent's situation evidenced (the kernel's case documents under this module's path) */
function Evidence({ app, canUpload }: { app: ApplicationView; canUpload: boolean }) {
  return (
    <CaseDocuments
      appId={app.id}
      canUpload={canUpload}
      base="/child-allowance"
      kinds={KINDS}
      kindLabel={(k) => `cla.kind.${k}` as StringKey}
      title="cla.evidence"
      id="cla-evidence-title"
    />
  );
}

export const childLivingAllowanceConsole: ConsoleModule = {
  ParentPanels: ({ app }) => (
    <>
      {app.status === 'completed' ? <FamilyAllowance appId={app.id} /> : null}
      <Evidence app={app} canUpload={app.status === 'in-progress' || app.status === 'info-requested'} />
    </>
  ),
  CasePanels: ({ app }) => (
    <>
      <Objection app={app} />
      <Evidence app={app} canUpload={false} />
    </>
  ),
};
