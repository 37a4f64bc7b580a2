/** The childcare-slot module in the console registry: its components loaded on first use. */
import type { ConsoleEntry } from '../module.ts';

export const childcareSlotEntry: ConsoleEntry = {
  parts: ['ParentPanels', 'CasePanels', 'Indicators'],
  load: () => import('./index.tsx').then((m) => m.childcareSlotConsole),
};
