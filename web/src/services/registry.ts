/** The console parts of the service modules, by service id: one line per module that has any. */
import { childLivingAllowanceConsole } from './child-living-allowance/index.tsx';
import { childcareSlotConsole } from './childcare-slot/index.tsx';
import type { ConsoleModule } from './module.ts';
import { rehabAidConsole } from './rehab-aid/index.tsx';

const consoleModules: Record<string, ConsoleModule> = {
  'rehab-aid': rehabAidConsole,
  'childcare-slot': childcareSlotConsole,
  'child-living-allowance': childLivingAllowanceConsole,
};

export const consoleModule = (service: string): ConsoleModule => consoleModules[service] ?? {};

/** Every module's staff pages (desks), for the router and the navigation. */
export const staffPages = () => Object.values(consoleModules).flatMap((m) => m.staffPages ?? []);

/** Every module's plan indicators, for the auditor dashboard. */
export const indicators = () =>
  Object.values(consoleModules).flatMap((m) => (m.Indicators ? [m.Indicators] : []));
