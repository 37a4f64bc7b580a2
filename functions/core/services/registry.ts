/** All services the platform runs, by id. Adding a service is one line here. */

import type { ServiceDefinition } from '../engine/types.ts';
import { NotFoundError } from '../errors.ts';
import { t } from '../i18n.ts';
import { birthRegistration } from './birth-registration/definition.ts';
import { childcareSlot } from './childcare-slot/definition.ts';
import { rehabAid } from './rehab-aid/definition.ts';

export const services: ServiceDefinition[] = [birthRegistration, rehabAid, childcareSlot];

export function getService(id: string): ServiceDefinition {
  const def = services.find((s) => s.id === id);
  if (!def) throw new NotFoundError(t(`未知的服务：${id}`, `Unknown service: ${id}`));
  return def;
}

export const serviceIds = () => services.map((s) => s.id);
