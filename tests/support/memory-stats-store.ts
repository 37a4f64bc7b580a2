/**
 * The statistics store in memory: the same contract as the DynamoDB store (idempotent per event
 * id, cells per day), used by unit tests, the benchmark and anything that needs figures without
 * a table.
 */
import {
  ALL_TOWNSHIPS,
  type Cell,
  type Contribution,
  cellId,
  emptyStats,
  isMonthCell,
  mergeStats,
} from '#core/analytics/cells';
import type { ApplyResult, CellQuery, StatsStore } from '#core/analytics/ports';
import { monthSpans } from '#core/reports/range';

export class MemoryStatsStore implements StatsStore {
  private readonly seen = new Set<string>();
  private readonly cells = new Map<string, Cell>();
  /** cells returned by readCells, to compare read costs */
  cellsRead = 0;

  async apply(contributions: Contribution[]): Promise<ApplyResult> {
    return this.applySync(contributions);
  }

  applySync(contributions: Contribution[]): ApplyResult {
    let applied = 0;
    let duplicates = 0;
    for (const c of contributions) {
      if (c.updates.length === 0) continue;
      if (this.seen.has(c.eventId)) {
        duplicates++;
        continue;
      }
      this.seen.add(c.eventId);
      for (const u of c.updates) {
        const id = cellId(u.key);
        let cell = this.cells.get(id);
        if (!cell) {
          cell = { ...u.key, stats: emptyStats() };
          this.cells.set(id, cell);
        }
        mergeStats(cell.stats, u.stats);
      }
      applied++;
    }
    return { applied, duplicates, failed: [] };
  }

  async readCells(q: CellQuery): Promise<Cell[]> {
    const wanted = (t: string) =>
      q.township === undefined
        ? t === ALL_TOWNSHIPS
        : typeof q.township === 'string'
          ? t === q.township
          : t !== ALL_TOWNSHIPS;
    const spans = q.months ? monthSpans(q.from, q.to) : [{ from: q.from, to: q.to, months: false }];
    const out = [...this.cells.values()].filter(
      (c) =>
        c.service === q.service &&
        wanted(c.township) &&
        spans.some((s) => s.months === isMonthCell(c) && c.day >= s.from && c.day <= s.to),
    );
    this.cellsRead += out.length;
    return out;
  }

  /** every stored cell (tests) */
  all(): Cell[] {
    return [...this.cells.values()];
  }
}
