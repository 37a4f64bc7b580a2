/**
 * The metrics consumer's logic, independent of the stream plumbing: project each event onto the
 * daily cells and hand the contributions to the store, which counts each event id at most once.
 */
import type { DomainEvent } from '../engine/types.ts';
import { type Contribution, contributionOf, withMonthCells } from './cells.ts';
import type { ApplyResult, StatsStore } from './ports.ts';

/**
 * Contributions of a batch, one per distinct event id, skipping events that change no figure;
 * each with its month rollup cells.
 */
export function contributionsOf(events: Iterable<DomainEvent>): Contribution[] {
  const seen = new Set<string>();
  const out: Contribution[] = [];
  for (const e of events) {
    if (seen.has(e.eventId)) continue;
    seen.add(e.eventId);
    const c = contributionOf(e);
    if (c.updates.length > 0) out.push(withMonthCells(c));
  }
  return out;
}

export function recordEvents(store: StatsStore, events: Iterable<DomainEvent>): Promise<ApplyResult> {
  return store.apply(contributionsOf(events));
}
