/**
 * Figures for auditors and admins (pure): licensed places per 1,000 residents per township and
 * city-wide against the 4.5 target, occupancy per nursery and class for a term's intakes, and
 * waitlist lengths. Aggregates only: no child appears here.
 */

import { type ClassId, classIds } from '#services/childcare-slot/classes';
import {
  type IntakeMode,
  type Nursery,
  type NurseryType,
  PLACES_PER_1000_TARGET,
} from '#services/childcare-slot/nurseries';
import type { I18nText } from '../../core/i18n.ts';
import type { Township } from '../../core/reference/leqing.ts';

export interface IntakeRecord {
  nurseryId: string;
  term: string;
  classId: ClassId;
  capacity: number;
  /** held places: offered, accepted or enrolled */
  taken: number;
  waiting: number;
  /** enrolled (held by completed registrations) */
  settled: number;
  mode: IntakeMode;
  roundDeadline?: string | undefined;
  allocatedAt?: string | undefined;
}

export interface AreaFigures {
  population: number;
  nurseries: number;
  places: number;
  placesPer1000: number;
  meetsTarget: boolean;
  /** places still needed to reach the target */
  shortfall: number;
}

export interface IntakeFigures {
  class: ClassId;
  mode: IntakeMode;
  capacity: number;
  offered: number;
  enrolled: number;
  free: number;
  waiting: number;
  /** (offered + enrolled) / capacity */
  occupancy: number;
}

export interface NurseryFigures {
  id: string;
  name: I18nText;
  township: string;
  type: NurseryType;
  places: number;
  intakes: IntakeFigures[];
}

export interface ChildcareFigures {
  term: string;
  target: number;
  unit: 'places per 1,000 residents';
  city: AreaFigures;
  townships: Array<AreaFigures & { township: string; name: I18nText }>;
  nurseries: NurseryFigures[];
  waitlists: { total: number; byClass: Record<ClassId, number> };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

const placesOf = (n: Nursery) => Object.values(n.places).reduce<number>((s, p) => s + (p ?? 0), 0);

function area(population: number, nurseries: Nursery[]): AreaFigures {
  const places = nurseries.reduce((s, n) => s + placesOf(n), 0);
  const per1000 = population > 0 ? (places * 1000) / population : 0;
  return {
    population,
    nurseries: nurseries.length,
    places,
    placesPer1000: round2(per1000),
    meetsTarget: per1000 >= PLACES_PER_1000_TARGET,
    shortfall: Math.max(0, Math.ceil((PLACES_PER_1000_TARGET * population) / 1000 - places)),
  };
}

export function childcareFigures(
  term: string,
  nurseries: Nursery[],
  intakes: IntakeRecord[],
  townships: Township[],
): ChildcareFigures {
  const population = townships.reduce((s, t) => s + t.population, 0);
  const byClass = Object.fromEntries(classIds.map((c) => [c, 0])) as Record<ClassId, number>;
  for (const i of intakes) byClass[i.classId] += i.waiting;
  return {
    term,
    target: PLACES_PER_1000_TARGET,
    unit: 'places per 1,000 residents',
    city: area(population, nurseries),
    townships: townships.map((t) => ({
      township: t.id,
      name: t.name,
      ...area(
        t.population,
        nurseries.filter((n) => n.township === t.id),
      ),
    })),
    nurseries: nurseries.map((n) => ({
      id: n.id,
      name: n.name,
      township: n.township,
      type: n.type,
      places: placesOf(n),
      intakes: intakes
        .filter((i) => i.nurseryId === n.id)
        .sort((a, b) => classIds.indexOf(a.classId) - classIds.indexOf(b.classId))
        .map((i) => ({
          class: i.classId,
          mode: i.mode,
          capacity: i.capacity,
          offered: i.taken - i.settled,
          enrolled: i.settled,
          free: i.capacity - i.taken,
          waiting: i.waiting,
          occupancy: i.capacity > 0 ? round2(i.taken / i.capacity) : 0,
        })),
    })),
    waitlists: { total: intakes.reduce((s, i) => s + i.waiting, 0), byClass },
  };
}
