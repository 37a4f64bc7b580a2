/**
 * The townships and hospitals admins added to the reference data (issue 17), as of now, for the
 * checks that run inside a form's schema (synchronous): `isTownship` and `isHospital` accept the
 * seed's ids and these. The kernel refreshes them before it validates a form (wiring's
 * `refreshReference`, at most once a minute per function instance); until the first refresh only
 * the seed is known.
 */
import type { ReferenceBook } from './book.ts';

const live = { townships: new Set<string>(), hospitals: new Set<string>() };

/** Takes the townships and hospitals in force in `year` from the book. */
export function adoptReferenceBook(book: ReferenceBook, year: number): void {
  live.townships = new Set(book.townships(year).map((t) => t.id));
  live.hospitals = new Set(book.hospitals(year, { maternityOnly: true }).map((h) => h.id));
}

export const liveTownship = (id: string): boolean => live.townships.has(id);
export const liveHospital = (id: string): boolean => live.hospitals.has(id);
