/**
 * What a service module adds to the console (web/src/services/<id>/), looked up by service id
 * from web/src/services/registry.ts; the kernel pages never name a service. A module describes
 * itself with data (`ConsoleEntry`, its `console.ts`) and loads its components on first use
 * (`ConsoleModule`, its `index.tsx`): a parent's form never loads a caseworker's desk.
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

/** The module's components, in its `index.tsx`, loaded when a page first shows one. */
export interface ConsoleModule {
  /** The module's own panels on the parent's application page (above the progress). */
  ParentPanels?: ComponentType<ParentPanelProps>;
  /** The module's own panels on the caseworker's case view (below the form). */
  CasePanels?: ComponentType<{ app: ApplicationView }>;
  /** The plan's indicators this module feeds, as `<dt>`/`<dd>` pairs on the auditor dashboard. */
  Indicators?: ComponentType;
}

/** A staff page of a module (a desk): its route and navigation item as data, its page loaded on use. */
export interface StaffPageEntry {
  path: string;
  label: StringKey;
  shownTo: (user: User) => boolean;
  load: () => Promise<ComponentType>;
}

/** What the registry knows of a module without loading any of its components (its `console.ts`). */
export interface ConsoleEntry {
  /**
   * For steps whose approval outputs the service computes (the catalogue marks them
   * `computedOutputs`): the API path of the module's own approval action for this case.
   */
  computedApproval?: (appId: string, step: string) => string;
  /** which of the `ConsoleModule` parts the module has (so a page without them loads nothing) */
  parts?: ReadonlyArray<keyof ConsoleModule>;
  /** the module's components (`index.tsx`) */
  load?: () => Promise<ConsoleModule>;
  staffPages?: StaffPageEntry[];
}
