/**
 * The reference data admins maintain (issue 17), as of now, for code that must answer at once:
 * the checks inside a form's schema (synchronous: `isTownship` and `isHospital` accept the seed's
 * ids and the townships and hospitals admins added) and the agencies' names as admins keep them
 * (catalog's `agencies()`). The kernel refreshes them before it validates a form (wiring's
 * `refreshReference`, at most once a minute per function instance); until the first refresh only
 * the seed (the code's constants) is known.
 */
import type { AgencyRef, ReferenceBook } from './book.ts';

const live = {
  townships: new Set<string>(),
  hospitals: new Set<string>(),
  agencies: new Map<string, AgencyRef>(),
};

/**
 * Takes the townships and hospitals in force in `year` from the book, and the agencies as of
 * `day` (YYYY-MM-DD; default the year's last day).
 */
export function adoptReferenceBook(book: ReferenceBook, year: number, day = `${year}-12-31`): void {
  live.townships = new Set(book.townships(year).map((t) => t.id));
  live.hospitals = new Set(book.hospitals(year, { maternityOnly: true }).map((h) => h.id));
  const agencies = book.agencies(day);
  // a book read without the agencies (e.g. townships and hospitals only) keeps the last known
  if (agencies.length > 0) live.agencies = new Map(agencies.map((a) => [a.id, a]));
}

export const liveTownship = (id: string): boolean => live.townships.has(id);
/** The townships in force as last read (empty before the first refresh). */
export const liveTownshipIds = (): string[] => [...live.townships];
export const liveHospital = (id: string): boolean => live.hospitals.has(id);
/** An agency as admins keep it (undefined: not refreshed yet, use the code's). */
export const liveAgency = (id: string): AgencyRef | undefined => live.agencies.get(id);
