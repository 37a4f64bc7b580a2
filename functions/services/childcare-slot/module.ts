/** 托位登记 Childcare-slot registration for children under 3: the module (see docs/architecture.md). */
import type { ServiceModule } from '#core/module';
import { childcareSlot } from './definition.ts';
import { childcareMail } from './mail.ts';

export const childcareSlotModule: ServiceModule = {
  definition: childcareSlot,
  http: {
    routes: [
      {
        method: 'GET',
        path: '/childcare/nurseries',
        auth: false,
        summary:
          'Childcare: nurseries (托育机构) with their intakes in a term (places free, waitlist length)',
      },
      {
        method: 'PUT',
        path: '/childcare/nurseries/{nurseryId}',
        auth: true,
        summary:
          'Admin/health bureau: register or update a nursery (licence, type, licensed places per class)',
      },
      {
        method: 'PUT',
        path: '/childcare/nurseries/{nurseryId}/intakes/{term}/{class}',
        auth: true,
        summary: 'Admin/health bureau: open an intake (capacity, rolling or round) or change its capacity',
      },
      {
        method: 'POST',
        path: '/childcare/seed',
        auth: true,
        summary: 'Admin/health bureau: load the seed nursery register and the next two terms’ intakes',
      },
      {
        method: 'GET',
        path: '/childcare/rounds/{term}',
        auth: true,
        summary: 'A term’s allocation round: deadline, status, recorded lottery seed, counts (audit)',
      },
      {
        method: 'POST',
        path: '/childcare/rounds/{term}/allocate',
        auth: true,
        summary: 'Admin/health bureau: draw a term’s round after its deadline (the sweeper also does)',
      },
      {
        method: 'GET',
        path: '/reports/childcare',
        auth: true,
        summary:
          'Childcare places per 1,000 residents (target 4.5), occupancy per nursery and class, waitlists',
      },
    ],
    /** The nursery register, intakes, rounds (re-runs waiting steps: applications with ID numbers). */
    access: { table: 'readWrite', fieldKey: 'decrypt' },
  },
  mail: childcareMail,
  local: { seedPath: '/childcare/seed' },
};
