/**
 * The kernel's view of the installed service modules. The registry (functions/services/
 * registry.ts) installs them once at load; the kernel looks services up here and never imports
 * a module itself. Every entry point loads the registry through the platform container.
 */
import type { ServiceDefinition } from './engine/types.ts';
import { NotFoundError } from './errors.ts';
import { t } from './i18n.ts';
import type { Agency, ServiceModule } from './module.ts';
import { cityAgencies } from './reference/leqing.ts';
import { liveAgency } from './reference/live.ts';

const installed = new Map<string, ServiceModule>();

/** Installs modules (idempotent per id). Two different modules with one id, or one job name twice, fail loudly. */
export function installModules(modules: readonly ServiceModule[]): void {
  for (const m of modules) {
    const id = m.definition.id;
    const known = installed.get(id);
    if (known && known !== m) throw new Error(`two service modules share the id "${id}"`);
    installed.set(id, m);
  }
  const jobs = installedModules()
    .flatMap((m) => m.jobs ?? [])
    .map((j) => j.name);
  const twice = jobs.find((name, i) => jobs.indexOf(name) !== i);
  if (twice) throw new Error(`two service modules declare the scheduled job "${twice}"`);
}

export function installedModules(): ServiceModule[] {
  if (installed.size === 0)
    throw new Error('no service modules installed: import functions/services/registry.ts first');
  return [...installed.values()];
}

export function services(): ServiceDefinition[] {
  return installedModules().map((m) => m.definition);
}

export const serviceIds = (): string[] => services().map((s) => s.id);

export function getService(id: string): ServiceDefinition {
  const m = installedModules().find((x) => x.definition.id === id);
  if (!m) throw new NotFoundError(t(`未知的服务：${id}`, `Unknown service: ${id}`));
  return m.definition;
}

export function getModule(id: string): ServiceModule | undefined {
  return installed.get(id);
}

/** The agencies as the code declares them (the seed of the stored reference data). */
export function codeAgencies(): Agency[] {
  return [...cityAgencies, ...installedModules().flatMap((m) => m.agencies ?? [])];
}

/**
 * The city's agencies and every module's: ids and levels are the code's; names as admins keep
 * them in the reference data (reference/live.ts) once it has been read.
 */
export function agencies(): Agency[] {
  return codeAgencies().map((a) => {
    const kept = liveAgency(a.id);
    return kept ? { ...a, name: kept.name } : a;
  });
}
