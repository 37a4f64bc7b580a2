/**
 * The console's service modules, by service id: one line per module in each table below, and the
 * only console file outside the modules' folders that names them. Data only: each module's texts
 * (strings, form hints, output labels) and its `console.ts` entry. Its components load when a page
 * first shows one (code split per module and per desk), so the string table and the form hints
 * read this file without loading a page, and a parent's form never loads a caseworker's desk.
 */
import { type ComponentType, createElement, lazy, Suspense } from 'react';
import { texts as birthRegistration } from './birth-registration/texts.ts';
import { childLivingAllowanceEntry } from './child-living-allowance/console.ts';
import { texts as childLivingAllowance } from './child-living-allowance/texts.ts';
import { childcareSlotEntry } from './childcare-slot/console.ts';
import { texts as childcareSlot } from './childcare-slot/texts.ts';
import type { ConsoleEntry, ConsoleModule, StaffPageEntry } from './module.ts';
import { rehabAidEntry } from './rehab-aid/console.ts';
import { texts as rehabAid } from './rehab-aid/texts.ts';

/** Every module's console texts (form hints, output labels…), by service id. */
export const moduleTexts = {
  'birth-registration': birthRegistration,
  'childcare-slot': childcareSlot,
  'rehab-aid': rehabAid,
  'child-living-allowance': childLivingAllowance,
};

/** Every module's UI strings in one table (typed: the console's `StringKey` includes them). */
export const moduleStrings = {
  ...childcareSlot.strings,
  ...rehabAid.strings,
  ...childLivingAllowance.strings,
};

/** The modules' console entries: what they add to the kernel's pages. */
const entries: Record<string, ConsoleEntry> = {
  'rehab-aid': rehabAidEntry,
  'childcare-slot': childcareSlotEntry,
  'child-living-allowance': childLivingAllowanceEntry,
};

/** A component loaded on first render, shown inside its own boundary (nothing while it loads). */
function deferred<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Lazy = lazy(() => load().then((c) => ({ default: c })));
  return (props: P) => createElement(Suspense, { fallback: null }, createElement(Lazy, props));
}

const Nothing: ComponentType = () => null;
const parts = new Map<string, ComponentType<never>>();

/** One part of a module's components, loaded when first rendered; undefined when it has none. */
function part<K extends keyof ConsoleModule>(service: string, name: K): ConsoleModule[K] | undefined {
  const entry = entries[service];
  if (!entry?.load || !entry.parts?.includes(name)) return undefined;
  const key = `${service}:${name}`;
  if (!parts.has(key)) {
    const load = entry.load;
    parts.set(
      key,
      deferred(
        async () => ((await load())[name] ?? Nothing) as ComponentType<object>,
      ) as ComponentType<never>,
    );
  }
  return parts.get(key) as ConsoleModule[K];
}

/** What a service's module adds to the kernel's pages (empty for a service without one). */
export const consoleModule = (service: string): ConsoleModule & Pick<ConsoleEntry, 'computedApproval'> => ({
  computedApproval: entries[service]?.computedApproval,
  ParentPanels: part(service, 'ParentPanels'),
  CasePanels: part(service, 'CasePanels'),
  Indicators: part(service, 'Indicators'),
});

type StaffPage = Omit<StaffPageEntry, 'load'> & { Page: ComponentType };
const pages: StaffPage[] = Object.values(entries).flatMap((e) =>
  (e.staffPages ?? []).map(({ load, ...page }) => ({ ...page, Page: deferred(load) })),
);

/** Every module's staff pages (desks), for the router and the navigation. */
export const staffPages = (): StaffPage[] => pages;

/** Every module's plan indicators, for the auditor dashboard. */
export const indicators = (): ComponentType[] =>
  Object.keys(entries).flatMap((id) => {
    const Indicators = part(id, 'Indicators');
    return Indicators ? [Indicators] : [];
  });
