/**
 * What a service module adds to the console (web/src/services/<id>/), looked up by service id
 * from web/src/services/registry.ts; the kernel pages never name a service.
 */
import type { ComponentType } from 'react';
import type { StringKey } from '../i18n.tsx';
import type { User } from '../session.ts';
import type { ApplicationView } from '../types.ts';

export interface ParentPanelProps {
  app: ApplicationView;
  /** the application after an action of the panel, with the notice to show */
  onChange: (next: ApplicationView, notice?: string) => void;
}

export interface ConsoleModule {
  /**
   * For steps whose approval outputs the service computes (the catalogue marks them
   * `computedOutputs`): the API path of the module's own approval action for this case.
   */
  computedApproval?: (appId: string, step: string) => string;
  /** The module's own panels on the parent's application page (above the progress). */
  ParentPanels?: ComponentType<ParentPanelProps>;
  /** The module's own panels on the caseworker's case view (below the form). */
  CasePanels?: ComponentType<{ app: ApplicationView }>;
  /** The plan's indicators this module feeds, as `<dt>`/`<dd>` pairs on the auditor dashboard. */
  Indicators?: ComponentType;
  /** Staff pages of the module (a desk), with their navigation item and who sees it. */
  staffPages?: Array<{
    path: string;
    Page: ComponentType;
    label: StringKey;
    shownTo: (user: User) => boolean;
  }>;
}
