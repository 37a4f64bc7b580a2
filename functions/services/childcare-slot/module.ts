/** 托位登记 Childcare-slot registration for children under 3: the module (see docs/architecture.md). */
import type { ServiceModule } from '#core/module';
import { childcareSlot } from './definition.ts';

export const childcareSlotModule: ServiceModule = {
  definition: childcareSlot,
  /** the plan's indicators it feeds: indicators.ts (issue 17) */
  indicators: true,
  http: {
    /** The nursery register, intakes, rounds (re-runs waiting steps: applications with ID numbers). */
    access: { table: 'readWrite', fieldKey: 'decrypt' },
  },
  mail: true,
  local: { seedPath: '/childcare/seed' },
};
