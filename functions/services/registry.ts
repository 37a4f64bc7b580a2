/**
 * The one list of service modules. Adding a service is its folder (functions/services/<id>/) and
 * one line here; the routes, the CDK functions, the local runtime and the console follow from it.
 */
import { serviceIds as ids, installModules, getService as lookup } from '#core/catalog';
import type { ServiceModule } from '#core/module';
import { birthRegistrationModule } from './birth-registration/module.ts';
import { childLivingAllowanceModule } from './child-living-allowance/module.ts';
import { childcareSlotModule } from './childcare-slot/module.ts';
import { rehabAidModule } from './rehab-aid/module.ts';

export const modules: readonly ServiceModule[] = [
  birthRegistrationModule,
  rehabAidModule,
  childcareSlotModule,
  childLivingAllowanceModule,
];

installModules(modules);

export const services = modules.map((m) => m.definition);
export const getService = lookup;
export const serviceIds = ids;
