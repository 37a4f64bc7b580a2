import { describe, expect, it } from 'vitest';
import { townships } from '#core/reference/leqing';
import { ageInMonths, classFor, upcomingTerms } from '#services/childcare-slot/classes';
import { childcareFigures } from '#services/childcare-slot/figures';
import { seedNurseries } from '#services/childcare-slot/nurseries';
import { seedRoundDeadline } from '#services/childcare-slot/service';

describe('childcare figures', () => {
  it('computes places per 1,000 residents per township and city-wide against the 4.5 target', () => {
    const figures = childcareFigures('2027-03', seedNurseries, [], townships);
    const population = townships.reduce((s, t) => s + t.population, 0);
    const places = seedNurseries.reduce(
      (s, n) => s + Object.values(n.places).reduce<number>((a, p) => a + (p ?? 0), 0),
      0,
    );
    expect(figures.city).toMatchObject({ population, places, nurseries: seedNurseries.length });
    expect(figures.city.placesPer1000).toBeCloseTo((places * 1000) / population, 2);
    expect(figures.city.meetsTarget).toBe(figures.city.placesPer1000 >= 4.5);
    expect(figures.city.shortfall).toBe(Math.max(0, Math.ceil((4.5 * population) / 1000 - places)));
    const liushi = figures.townships.find((t) => t.township === 'liushi')!;
    expect(liushi.nurseries).toBe(4);
    expect(figures.townships.find((t) => t.township === 'longxi')).toMatchObject({
      places: 0,
      placesPer1000: 0,
      meetsTarget: false,
    });
  });

  it('reports occupancy per nursery and class and waitlist lengths', () => {
    const figures = childcareFigures(
      '2027-03',
      seedNurseries.filter((n) => n.id === 'liushi-puhui'),
      [
        {
          nurseryId: 'liushi-puhui',
          term: '2027-03',
          classId: 'toddler',
          capacity: 18,
          taken: 12,
          settled: 5,
          waiting: 7,
          mode: 'rolling',
        },
        {
          nurseryId: 'liushi-puhui',
          term: '2027-03',
          classId: 'infant',
          capacity: 4,
          taken: 4,
          settled: 4,
          waiting: 2,
          mode: 'rolling',
        },
      ],
      townships,
    );
    expect(figures.nurseries[0]?.intakes).toEqual([
      {
        class: 'infant',
        mode: 'rolling',
        capacity: 4,
        offered: 0,
        enrolled: 4,
        free: 0,
        waiting: 2,
        occupancy: 1,
      },
      {
        class: 'toddler',
        mode: 'rolling',
        capacity: 18,
        offered: 7,
        enrolled: 5,
        free: 6,
        waiting: 7,
        occupancy: 0.67,
      },
    ]);
    expect(figures.waitlists).toEqual({ total: 9, byClass: { infant: 2, toddler: 7, 'older-toddler': 0 } });
  });
});

describe('childcare classes and terms', () => {
  it('places a child in the class of its age in full months on the first day of the term', () => {
    expect(ageInMonths('2025-09-15', '2027-03-01')).toBe(17);
    expect(ageInMonths('2025-03-01', '2027-03-01')).toBe(24);
    expect(classFor('2025-03-01', '2027-03')?.id).toBe('older-toddler');
    expect(classFor('2025-03-02', '2027-03')?.id).toBe('toddler');
    expect(classFor('2026-09-01', '2027-03')?.id).toBe('infant');
    expect(classFor('2026-09-02', '2027-03')).toBeUndefined();
    expect(classFor('2024-03-01', '2027-03')).toBeUndefined();
  });

  it('lists the next March and September terms and closes seeded rounds 45 days before the term', () => {
    expect(upcomingTerms(new Date('2026-11-25T01:00:00Z'), 2)).toEqual(['2027-03', '2027-09']);
    expect(upcomingTerms(new Date('2027-02-28T17:00:00Z'), 1)).toEqual(['2027-09']); // already 1 March in China
    expect(seedRoundDeadline('2027-03')).toBe('2027-01-14T15:59:59.999Z');
  });
});
