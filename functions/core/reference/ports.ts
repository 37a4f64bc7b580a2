/** Storage of the admin-maintained reference data (functions/adapters/dynamodb/reference-store.ts). */
import type { ReferenceChange, ReferenceEntry, ReferenceKind } from './book.ts';

export interface ReferenceStore {
  /** Every entry of a kind with its whole history (the seed is loaded at the first use). */
  list(kind: ReferenceKind, opts?: { readOnly?: boolean }): Promise<ReferenceEntry[]>;
  /** `readOnly`: a kind not seeded yet answers its seed without writing it. */
  listAll(opts?: { readOnly?: boolean }): Promise<ReferenceEntry[]>;
  /**
   * Appends a change if the entry is still at `expectedVersion` (0: a new entry); else throws
   * VersionConflictError and changes nothing.
   */
  change(change: Omit<ReferenceChange, 'version' | 'at'>, expectedVersion: number): Promise<ReferenceChange>;
}
