/**
 * What the analytics core needs from storage. The DynamoDB adapter
 * (functions/adapters/dynamodb/stats-repository.ts) and the in-memory fake
 * (tests/support/memory-stats-store.ts) implement them.
 */
import type { ApplicationStatus } from '../engine/types.ts';
import type { Cell, Contribution } from './cells.ts';

export interface ApplyResult {
  /** events whose figures were added now */
  applied: number;
  /** events already counted before (redeliveries, backfill overlap) */
  duplicates: number;
  /** events that could not be written (the caller retries them) */
  failed: string[];
}

export interface CellQuery {
  service: string;
  /** China days, inclusive, YYYY-MM-DD */
  from: string;
  to: string;
  /**
   * undefined: the all-township rollup cells; a township id: that township's cells;
   * `{ all: true }`: every township's own cells (for grouping by township).
   */
  township?: string | { all: true } | undefined;
  /** counters only: the store may skip reading the sketches */
  countersOnly?: boolean;
  /**
   * The caller needs no per-day figures: the store answers every whole calendar month of the
   * range with its month rollup cell (`day` = YYYY-MM) and only the days of partial months with
   * daily cells. Without it, daily cells only.
   */
  months?: boolean;
}

export interface StatsStore {
  /** Adds each contribution's figures exactly once per event id, however often it is applied. */
  apply(contributions: Contribution[]): Promise<ApplyResult>;
  /** The daily cells of a service in a date range. */
  readCells(query: CellQuery): Promise<Cell[]>;
}

/** One open application, reduced to the non-personal facts the open-cases report needs. */
export interface OpenCase {
  status: ApplicationStatus;
  createdAt: string;
  township?: string | undefined;
  dueAt?: string | undefined;
  steps: Array<{
    step: string;
    agency?: string | undefined;
    status: string;
    openedAt?: string | undefined;
    dueAt?: string | undefined;
  }>;
}

export interface OpenCasesSource {
  /** Applications of the service that are not settled yet (in progress or waiting for the parent). */
  openCases(service: string, steps: string[]): Promise<OpenCase[]>;
}
