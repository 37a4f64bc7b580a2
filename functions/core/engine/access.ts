/**
 * Who may see what. Parents see their own applications (an agent's filings once linked); agents
 * the cases they filed; caseworkers the applications that have a
 * step of their agency (and township, for township-level steps) or wait on a pool their agency
 * owns (a nursery's waitlist: read only, no reveal); auditors and admins everything,
 * with ID numbers always masked unless revealed by a permitted caseworker.
 */
import { maskIdNumber } from '../id-number.ts';
import { getPath, updatePath } from './paths.ts';
import type { Actor, Application, ServiceDefinition } from './types.ts';

/** The family of a case: the parent who applied, or a guardian who linked it. */
export function isFamily(actor: Actor, app: Application): boolean {
  return (
    actor.role === 'parent' && (app.applicant === actor.sub || (app.guardians ?? []).includes(actor.sub))
  );
}

/** The agent who filed the case for the family (代办): they see it, masked, and act on nothing. */
export function isFilingAgent(actor: Actor, app: Application): boolean {
  return actor.role === 'agent' && app.filedBy?.sub === actor.sub;
}

export function canRead(def: ServiceDefinition, app: Application, actor: Actor): boolean {
  switch (actor.role) {
    case 'parent':
      return isFamily(actor, app);
    case 'agent':
      return isFilingAgent(actor, app);
    case 'caseworker':
      return caseworkerSteps(def, app, actor).length > 0 || waitsAtAgency(def, app, actor);
    case 'auditor':
    case 'admin':
    case 'system':
      return true;
  }
}

/** The steps of this application the caseworker's agency (and township) decides. */
export function caseworkerSteps(def: ServiceDefinition, app: Application, actor: Actor): string[] {
  return def.order.filter((name) => {
    const step = def.steps[name];
    // timer steps with an agency are watched by it (it may interrupt them, e.g. an objection)
    if (step?.kind !== 'human' && !(step?.kind === 'timer' && step.agency)) return false;
    // A step's agency may be decided per application when it opens (e.g. the offered nursery).
    if ((app.steps[name]?.agency ?? step.agency) !== actor.agency) return false;
    return !step.byTownship || actor.township === app.township;
  });
}

/** The case waits on a pool (a waitlist or a round) owned by the caseworker's agency. */
function waitsAtAgency(def: ServiceDefinition, app: Application, actor: Actor): boolean {
  const agencyOf = def.poolAgency;
  if (!agencyOf || !actor.agency) return false;
  return (app.queued ?? []).some((entry) => agencyOf(entry.org) === actor.agency);
}

export function canReveal(def: ServiceDefinition, app: Application, actor: Actor): boolean {
  return actor.role === 'caseworker' && caseworkerSteps(def, app, actor).length > 0;
}

/** The form with every ID number masked. */
export function maskForm(def: ServiceDefinition, form: Record<string, unknown>): Record<string, unknown> {
  let out = form;
  for (const path of def.sensitivePaths) {
    out = updatePath(out, path, (v) => (typeof v === 'string' ? maskIdNumber(v) : v));
  }
  return out;
}

export function sensitiveValue(form: Record<string, unknown>, path: string): string | undefined {
  const v = getPath(form, path);
  return typeof v === 'string' ? v : undefined;
}
