/**
 * Synthetic event streams with known durations, for the accuracy tests and the benchmark (never
 * imported by a handler). Each case walks the service's human steps in order: the task waits in
 * the queue, is claimed, sometimes asks the parent for more information (a pause), and is
 * decided; the case settles at its last decision. Events have the shape and `data` the engine
 * emits (functions/core/engine/transition.ts). Deterministic for a given seed.
 */
import type { DomainEvent, ServiceDefinition } from '../engine/types.ts';

export interface SyntheticOptions {
  cases: number;
  seed?: number;
  /** first instant cases may be submitted (ISO), default 2025-01-01T00:00:00+08:00 */
  start?: string;
  /** submissions spread over this many days, default 365 */
  days?: number;
  townships: string[];
  /** share of step decisions preceded by a request for information, default 0.15 */
  infoRate?: number;
  /** share of step decisions that reject, default 0.03 */
  rejectRate?: number;
  /** also emit events that change no figure (opened, claimed), default true */
  allEvents?: boolean;
}

export interface StepTruth {
  step: string;
  agency: string;
  totalSeconds: number;
  waitSeconds: number;
  workSeconds: number;
  pausedSeconds: number;
  infoRequested: boolean;
  rejected: boolean;
  withinSla: boolean;
}

export interface CaseTruth {
  appId: string;
  township: string;
  totalSeconds: number;
  withinSla: boolean;
  outcome: 'completed' | 'partially-completed' | 'rejected';
  steps: StepTruth[];
}

/** mulberry32: a small, fast, seedable PRNG */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-normal milliseconds with the given median (seconds) and spread. */
function logNormalMs(rand: () => number, medianSeconds: number, sigma: number): number {
  const u = Math.max(rand(), 1e-12);
  const v = rand();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.max(1, Math.round(medianSeconds * 1000 * Math.exp(sigma * z)));
}

const WORKING_DAY_SECONDS = 86_400;

export function* syntheticCases(
  def: ServiceDefinition,
  opts: SyntheticOptions,
): Generator<{ events: DomainEvent[]; truth: CaseTruth }> {
  const rand = prng(opts.seed ?? 42);
  const start = Date.parse(opts.start ?? '2025-01-01T00:00:00+08:00');
  const spanMs = (opts.days ?? 365) * 86_400_000;
  const infoRate = opts.infoRate ?? 0.15;
  const rejectRate = opts.rejectRate ?? 0.03;
  const allEvents = opts.allEvents ?? true;
  const human = def.order.filter((s) => def.steps[s]?.kind === 'human');
  let eventSeq = 0;
  for (let i = 0; i < opts.cases; i++) {
    const appId = `SYN${String(i).padStart(10, '0')}`;
    const township = opts.townships[Math.floor(rand() * opts.townships.length)] as string;
    const events: DomainEvent[] = [];
    const emit = (type: DomainEvent['type'], atMs: number, fields: Partial<DomainEvent> = {}) => {
      events.push({
        eventId: `${appId}-${String(eventSeq++).padStart(8, '0')}`,
        seq: events.length,
        appId,
        service: def.id,
        type,
        at: new Date(atMs).toISOString(),
        actor: { sub: 'synthetic', role: 'system' },
        township,
        ...fields,
      });
    };
    const submittedAt = start + Math.floor(rand() * spanMs);
    emit('submitted', submittedAt, { to: 'in-progress' });
    let now = submittedAt;
    const steps: StepTruth[] = [];
    for (const step of human) {
      const sd = def.steps[step];
      const agency = sd?.agency ?? '-';
      const openedAt = now;
      if (allEvents) emit('step-opened', openedAt, { step, agency, to: 'open' });
      const wait = logNormalMs(rand, 4 * 3600, 1.2);
      const claimedAt = openedAt + wait;
      if (allEvents) emit('step-claimed', claimedAt, { step, agency, to: 'claimed' });
      const infoRequested = rand() < infoRate;
      let paused = 0;
      let t = claimedAt;
      if (infoRequested) {
        t += logNormalMs(rand, 1800, 1);
        emit('info-requested', t, { step, agency, to: 'info-requested', data: { fields: ['x'] } });
        paused = logNormalMs(rand, 20 * 3600, 1.1);
        t += paused;
        emit('resubmitted', t, { to: 'in-progress', data: { pausedSeconds: paused / 1000 } });
      }
      const workBeforeInfo = t - claimedAt - paused;
      const work = workBeforeInfo + logNormalMs(rand, 2 * 3600, 1.3);
      const decidedAt = claimedAt + work + paused;
      const totalMs = decidedAt - openedAt;
      const slaSeconds = (sd?.sla?.workingDays ?? 1) * WORKING_DAY_SECONDS;
      const withinSla = totalMs / 1000 - paused / 1000 <= slaSeconds;
      const rejected = rand() < rejectRate;
      const data = {
        waitSeconds: wait / 1000,
        workSeconds: work / 1000,
        pausedSeconds: paused / 1000,
        totalSeconds: totalMs / 1000,
        withinSla,
      };
      emit(rejected ? 'step-rejected' : 'step-approved', decidedAt, {
        step,
        agency,
        to: rejected ? 'rejected' : 'done',
        ...(rejected ? { reason: 'documents-missing' } : {}),
        data,
      });
      steps.push({
        step,
        agency,
        totalSeconds: data.totalSeconds,
        waitSeconds: data.waitSeconds,
        workSeconds: data.workSeconds,
        pausedSeconds: data.pausedSeconds,
        infoRequested,
        rejected,
        withinSla,
      });
      now = decidedAt;
    }
    const totalSeconds = (now - submittedAt) / 1000;
    const withinSla = totalSeconds <= def.sla.workingDays * WORKING_DAY_SECONDS * 1.4;
    const rejects = steps.filter((s) => s.rejected).length;
    const outcome =
      rejects === 0 ? 'completed' : rejects === steps.length ? 'rejected' : 'partially-completed';
    emit(outcome, now, { to: outcome, data: { totalSeconds, withinSla } });
    yield { events, truth: { appId, township, totalSeconds, withinSla, outcome, steps } };
  }
}
