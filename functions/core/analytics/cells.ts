/**
 * The metrics projection: what each domain event adds to the daily statistics cells. A cell is
 * one service × step × agency × township × China day (UTC+8); case-level figures live in the
 * step `_case`. Every event contributes to its township's cell and to the all-township rollup
 * (township `*`), so reports without a township filter read one cell per step and day.
 *
 * Only enumerated, non-personal facts leave the event: ids of the service, step, agency and
 * township (each checked against a strict pattern), durations and booleans. Actor ids, notes,
 * reasons, field names and outputs are never read.
 */
import type { DomainEvent } from '../engine/types.ts';
import { Sketch } from './sketch.ts';

/** The pseudo-step holding whole-case figures (submission → settled). */
export const CASE_STEP = '_case';
/** The township of the all-township rollup cells. */
export const ALL_TOWNSHIPS = '*';
/** Placeholder for a missing or unusable agency/township. */
export const NONE = '-';

export const METRICS = ['total', 'wait', 'work', 'paused'] as const;
export type Metric = (typeof METRICS)[number];

export const COUNTERS = [
  // human-step decisions
  'decided',
  'approved',
  'rejected',
  'slaKnown',
  'withinSla',
  'firstTimeRight',
  'infoRequests',
  'breaches',
  // whole cases
  'submitted',
  'settled',
  'completed',
  'partial',
  'casesRejected',
  'withdrawn',
  'resubmitted',
] as const;
export type Counter = (typeof COUNTERS)[number];

export interface CellKey {
  service: string;
  /** China calendar day, YYYY-MM-DD; or, in a month rollup cell, the month YYYY-MM */
  day: string;
  step: string;
  agency: string;
  township: string;
}

export interface CellStats {
  counters: Partial<Record<Counter, number>>;
  sketches: Partial<Record<Metric, Sketch | undefined>>;
}

export interface CellUpdate {
  key: CellKey;
  stats: CellStats;
}

/** What one event adds; `updates` is empty for events that change no figure. */
export interface Contribution {
  eventId: string;
  updates: CellUpdate[];
}

export interface Cell extends CellKey {
  stats: CellStats;
}

const CHINA_OFFSET_MS = 8 * 3600_000;
const SAFE_ID = /^[a-z0-9][a-z0-9_-]{0,59}$/i;
const SAFE_STEP = /^[a-z][a-z0-9-]{0,40}$/;

/** The China (UTC+8) calendar day of an instant; undefined when the instant is unreadable. */
export function chinaDay(iso: string): string | undefined {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  const dayNumber = Math.floor((ms + CHINA_OFFSET_MS) / 86_400_000);
  let day = dayNames.get(dayNumber);
  if (day === undefined) {
    day = new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
    if (dayNames.size > 100_000) dayNames.clear();
    dayNames.set(dayNumber, day);
  }
  return day;
}
const dayNames = new Map<number, string>();

export function cellId(k: CellKey): string {
  return `${k.service}|${k.day}|${k.step}|${k.agency}|${k.township}`;
}

/**
 * Merge targets get every counter and metric up front: one object shape for all cells keeps
 * merging fast when a report or the in-memory store holds tens of thousands of them.
 */
export function emptyStats(): CellStats {
  return {
    counters: {
      decided: 0,
      approved: 0,
      rejected: 0,
      slaKnown: 0,
      withinSla: 0,
      firstTimeRight: 0,
      infoRequests: 0,
      breaches: 0,
      submitted: 0,
      settled: 0,
      completed: 0,
      partial: 0,
      casesRejected: 0,
      withdrawn: 0,
      resubmitted: 0,
    },
    sketches: { total: undefined, wait: undefined, work: undefined, paused: undefined },
  };
}

export function mergeStats(into: CellStats, from: CellStats): CellStats {
  const ic = into.counters;
  const fc = from.counters;
  for (const name of COUNTERS) {
    const n = fc[name];
    if (n) ic[name] = (ic[name] ?? 0) + n;
  }
  for (const name of METRICS) {
    const s = from.sketches[name];
    if (!s) continue;
    const target = into.sketches[name];
    if (target) target.merge(s);
    else into.sketches[name] = new Sketch().merge(s);
  }
  return into;
}

function safe(value: string | undefined, pattern: RegExp): string {
  return value !== undefined && pattern.test(value) ? value : NONE;
}

function seconds(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

function addSla(counters: CellStats['counters'], withinSla: unknown) {
  if (typeof withinSla !== 'boolean') return;
  counters.slaKnown = 1;
  if (withinSla) counters.withinSla = 1;
}

function addSketch(stats: CellStats, metric: Metric, value: number | undefined) {
  if (value !== undefined) stats.sketches[metric] = new Sketch().add(value);
}

const CASE_EVENTS: Readonly<Record<string, Counter>> = {
  submitted: 'submitted',
  resubmitted: 'resubmitted',
  withdrawn: 'withdrawn',
  completed: 'completed',
  'partially-completed': 'partial',
  rejected: 'casesRejected',
};

/** The statistics one event adds, for its own township and for the all-township rollup. */
export function contributionOf(event: DomainEvent): Contribution {
  const updates: CellUpdate[] = [];
  const type = event.type;
  const caseCounter = CASE_EVENTS[type];
  const isStepEvent =
    type === 'step-approved' ||
    type === 'step-rejected' ||
    type === 'info-requested' ||
    type === 'sla-breached';
  if (caseCounter === undefined && !isStepEvent) return { eventId: event.eventId, updates };
  const day = chinaDay(event.at);
  if (!day || !SAFE_ID.test(event.service)) return { eventId: event.eventId, updates };
  const data = (event.data ?? {}) as Record<string, unknown>;
  const stats: CellStats = { counters: {}, sketches: {} };
  let step = CASE_STEP;
  let agency = NONE;

  if (caseCounter !== undefined) {
    stats.counters[caseCounter] = 1;
    if (type === 'completed' || type === 'partially-completed' || type === 'rejected') {
      stats.counters.settled = 1;
      addSla(stats.counters, data.withinSla);
      addSketch(stats, 'total', seconds(data.totalSeconds));
    }
  } else {
    step = safe(event.step, SAFE_STEP);
    agency = safe(event.agency, SAFE_ID);
    if (step === NONE) return { eventId: event.eventId, updates };
    if (type === 'info-requested') stats.counters.infoRequests = 1;
    else if (type === 'sla-breached') stats.counters.breaches = 1;
    else {
      // auto steps are decided by the engine at once: no queue, no work, nothing to measure
      if (data.auto === true) return { eventId: event.eventId, updates };
      const paused = seconds(data.pausedSeconds);
      const infoRequests = typeof data.infoRequests === 'number' ? data.infoRequests : undefined;
      const firstTime = infoRequests !== undefined ? infoRequests === 0 : (paused ?? 0) === 0;
      stats.counters.decided = 1;
      if (type === 'step-approved') stats.counters.approved = 1;
      else stats.counters.rejected = 1;
      addSla(stats.counters, data.withinSla);
      if (firstTime) stats.counters.firstTimeRight = 1;
      addSketch(stats, 'total', seconds(data.totalSeconds));
      addSketch(stats, 'wait', seconds(data.waitSeconds));
      addSketch(stats, 'work', seconds(data.workSeconds));
      addSketch(stats, 'paused', paused);
    }
  }
  const township = safe(event.township, SAFE_ID);
  updates.push(
    { key: { service: event.service, day, step, agency, township }, stats },
    { key: { service: event.service, day, step, agency, township: ALL_TOWNSHIPS }, stats },
  );
  return { eventId: event.eventId, updates };
}

/** A month rollup cell's `day` is its month (YYYY-MM). */
export const isMonthCell = (c: { day: string }) => c.day.length === 7;

/**
 * The contribution with the month rollup cells added: every daily cell's figures also go to the
 * cell of its month (same step, agency and township), so that reports over whole months read one
 * cell per month instead of one per day (docs/analytics.md, "Month rollups").
 */
export function withMonthCells(c: Contribution): Contribution {
  if (c.updates.length === 0) return c;
  return {
    eventId: c.eventId,
    updates: [
      ...c.updates,
      ...c.updates.map((u) => ({ key: { ...u.key, day: u.key.day.slice(0, 7) }, stats: u.stats })),
    ],
  };
}
