/** The console parts of the service modules, by service id: one line per module that has any. */
import type { ConsoleModule } from './module.ts';
import { rehabAidConsole } from './rehab-aid/index.ts';

const consoleModules: Record<string, ConsoleModule> = {
  'rehab-aid': rehabAidConsole,
};

export const consoleModule = (service: string): ConsoleModule => consoleModules[service] ?? {};
