/**
 * Merging daily cells into report rows: group cells by a key, add their counters and merge their
 * sketches (adding bins), then turn the merged figures into percentiles and rates.
 */
import { CASE_STEP, type Cell, type CellStats, emptyStats, mergeStats } from '../analytics/cells.ts';
import { Sketch } from '../analytics/sketch.ts';
import type { ServiceDefinition } from '../engine/types.ts';

export function groupCells(cells: Iterable<Cell>, keyOf: (c: Cell) => string | undefined) {
  const out = new Map<string, CellStats>();
  for (const c of cells) {
    const key = keyOf(c);
    if (key === undefined) continue;
    let stats = out.get(key);
    if (!stats) {
      stats = emptyStats();
      out.set(key, stats);
    }
    mergeStats(stats, c.stats);
  }
  return out;
}

export const isCase = (c: Cell) => c.step === CASE_STEP;

export const count = (s: CellStats | undefined, name: keyof CellStats['counters']) => s?.counters[name] ?? 0;

export const rate = (num: number, den: number): number | null => (den > 0 ? num / den : null);

export const sketchOf = (s: CellStats | undefined, metric: keyof CellStats['sketches']) =>
  s?.sketches[metric] ?? new Sketch();

/** Steps in the service's order; steps the definition no longer has come last, by name. */
export function stepOrder(def: ServiceDefinition, steps: Iterable<string>): string[] {
  const known = new Map(def.order.map((s, i) => [s, i]));
  return [...new Set(steps)].sort((a, b) => {
    const ia = known.get(a) ?? Number.MAX_SAFE_INTEGER;
    const ib = known.get(b) ?? Number.MAX_SAFE_INTEGER;
    return ia !== ib ? ia - ib : a.localeCompare(b);
  });
}

/** The agency that decides a step, from the definition (cells carry it too). */
export function agencyOf(def: ServiceDefinition, step: string, fallback: string): string {
  return def.steps[step]?.agency ?? fallback;
}
