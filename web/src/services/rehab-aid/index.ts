/** The rehab-aid module's console parts (the kernel pages ask web/src/services/registry.ts). */
import type { ConsoleModule } from '../module.ts';

export const rehabAidConsole: ConsoleModule = {
  // the city approves with the aid standard in force: the module's own action computes the caps
  computedApproval: (appId) => `/rehab/applications/${encodeURIComponent(appId)}/approve`,
};
