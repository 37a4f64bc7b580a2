/**
 * Builds this module's use cases for its HTTP function and its lifecycle job, from the platform's
 * container (client, table, clock, calendar). Only this module is installed in those functions.
 */
import { ulid } from 'ulid';
import { installModules } from '#core/catalog';
import { AllowanceService } from '#services/child-living-allowance/service';
import { AllowanceStore } from '#services/child-living-allowance/store';
import { wiring } from '../../shared/wiring.ts';
import { childLivingAllowanceModule } from './module.ts';

installModules([childLivingAllowanceModule]);

let store: AllowanceStore | undefined;

export async function allowanceService(): Promise<AllowanceService> {
  const w = wiring();
  store ??= new AllowanceStore(w.doc, w.tableName);
  return new AllowanceService({
    apps: w.repo,
    appService: await w.service(),
    store,
    clock: w.clock,
    ids: { newId: ulid },
    calendar: await w.getCalendar(),
  });
}
