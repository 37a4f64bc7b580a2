/**
 * The plan's indicators computed from seeded cases and reference data, compared with figures
 * worked by hand (issue 17): renewals and a child at two institutions counted once, a hospital
 * with no applications shown as 0%, a hospital without births entered shown as unknown.
 */
import { describe, expect, it } from 'vitest';
import { assess, evaluate, type IndicatorDefinition, ratioValue } from '#core/indicators/catalogue';
import { ratingSatisfaction } from '#core/indicators/satisfaction';
import { processingWithinSla } from '#core/indicators/sla';
import {
  ReferenceBook,
  type ReferenceChange,
  type ReferenceEntry,
  type ReferenceKind,
  type RefValues,
  seedEntries,
} from '#core/reference/book';
import { type BirthApplicationFact, indicators as birth } from '#services/birth-registration/indicators';
import { indicators as allowance } from '#services/child-living-allowance/indicators';
import { indicators as childcare } from '#services/childcare-slot/indicators';
import { indicators as rehab } from '#services/rehab-aid/indicators';

/** A reference book: the seed plus these changes. */
function book(changes: Array<{ kind: ReferenceKind; id: string; effectiveFrom: string; values: RefValues }>) {
  const entries = new Map<string, ReferenceEntry>();
  const add = (kind: ReferenceKind, id: string, effectiveFrom: string, values: RefValues) => {
    const key = `${kind}/${id}`;
    const e = entries.get(key) ?? { kind, id, version: 0, history: [] as ReferenceChange[] };
    e.version++;
    e.history.push({
      kind,
      id,
      version: e.version,
      effectiveFrom,
      values,
      by: 'test',
      at: '2026-01-01T00:00:00Z',
    });
    entries.set(key, e);
  };
  for (const kind of ['townships', 'hospitals'] as const)
    for (const s of seedEntries(kind)) add(kind, s.id, '2020-01-01', s.values);
  for (const c of changes) add(c.kind, c.id, c.effectiveFrom, c.values);
  return new ReferenceBook(entries.values());
}

const def = <F>(m: { definitions: IndicatorDefinition<F>[] }, id: string) => {
  const d = m.definitions.find((x) => x.id === id);
  if (!d) throw new Error(id);
  return d;
};
const row = (r: { rows: Array<{ key: string }> }, key: string) => r.rows.find((x) => x.key === key);

describe('birth one-thing indicators (per 助产机构 and city)', () => {
  const births = (hospital: string, month: string, n: number) => ({
    kind: 'births' as const,
    id: `${hospital}:${month}`,
    effectiveFrom: `${month}-01`,
    values: { births: n },
  });
  // births 2025: 人民医院 6 + 4 = 10, 妇幼 20, 二院 5, 三院 4, 柳市医院 8; 中医院 not entered
  const ref = book([
    births('yq-people', '2025-01', 6),
    births('yq-people', '2025-02', 4),
    births('yq-mch', '2025-03', 20),
    births('yq-second', '2025-01', 5),
    births('yq-third', '2025-06', 4),
    births('liushi-hosp', '2025-12', 8),
  ]);
  const apps = (
    hospital: string,
    n: number,
    extra: Partial<BirthApplicationFact> = {},
  ): BirthApplicationFact[] =>
    Array.from({ length: n }, () => ({
      hospital,
      status: 'in-progress',
      settled: false,
      insured: false,
      ...extra,
    }));
  const facts = {
    applications: [
      // 人民医院 8: 4 settled on time, 1 late, 3 open; 3 insured; plus one withdrawn (not counted)
      ...apps('yq-people', 4, { status: 'completed', settled: true, withinSla: true, insured: true }).map(
        (a, i) => (i === 3 ? { ...a, insured: false } : a),
      ),
      ...apps('yq-people', 1, { status: 'completed', settled: true, withinSla: false }),
      ...apps('yq-people', 3),
      ...apps('yq-people', 1, { status: 'withdrawn' }),
      // 妇幼 15: 10 settled on time and insured, 5 open
      ...apps('yq-mch', 10, { status: 'completed', settled: true, withinSla: true, insured: true }),
      ...apps('yq-mch', 5),
      ...apps('yq-second', 5),
      // 三院: none
      ...apps('liushi-hosp', 6),
      // 中医院: 2 but no births entered
      ...apps('yq-tcm', 2),
    ],
  };

  it('uptake = applications ÷ births: per hospital, a hospital with none at 0%, unknown without births', () => {
    const d = def(birth, 'birth-uptake');
    const r = evaluate(d, d.compute(facts, ref, 2025), 2025, []);
    expect(row(r, 'yq-people')).toMatchObject({ numerator: 8, denominator: 10, value: 80 });
    expect(row(r, 'yq-mch')).toMatchObject({ numerator: 15, denominator: 20, value: 75 });
    expect(row(r, 'yq-second')).toMatchObject({
      numerator: 5,
      denominator: 5,
      value: 100,
      assessment: 'met',
    });
    expect(row(r, 'yq-third')).toMatchObject({
      numerator: 0,
      denominator: 4,
      value: 0,
      assessment: 'behind',
    });
    expect(row(r, 'liushi-hosp')).toMatchObject({ numerator: 6, denominator: 8, value: 75 });
    expect(row(r, 'yq-tcm')).toMatchObject({
      numerator: 2,
      denominator: null,
      value: null,
      assessment: 'no-data',
    });
    // city: hospitals with births entered only: 34 ÷ 47
    expect(r.figures).toEqual({ numerator: 34, denominator: 47 });
    expect(r.value).toBe(72.34);
    expect(r.assessment).toBe('behind');
    expect(r.rows).toHaveLength(6);
  });

  it('settled within the 5-working-day promise: on time ÷ settled', () => {
    const d = def(birth, 'birth-within-promise');
    const r = evaluate(d, d.compute(facts, ref, 2025), 2025, []);
    expect(row(r, 'yq-people')).toMatchObject({ numerator: 4, denominator: 5, value: 80 });
    expect(row(r, 'yq-mch')).toMatchObject({ numerator: 10, denominator: 10, value: 100 });
    expect(row(r, 'yq-third')).toMatchObject({ numerator: 0, denominator: 0, value: null });
    expect(r.figures).toEqual({ numerator: 14, denominator: 15 });
    expect(r.value).toBe(93.33);
    expect(r.assessment).toBe('near');
  });

  it('newborns insured through the birth flow ÷ births', () => {
    const d = def(birth, 'newborn-insurance');
    const r = evaluate(d, d.compute(facts, ref, 2025), 2025, []);
    expect(row(r, 'yq-people')).toMatchObject({ numerator: 3, denominator: 10, value: 30 });
    expect(r.figures).toEqual({ numerator: 13, denominator: 47 });
    expect(r.value).toBe(27.66);
  });

  it('a year with no births entered has no value, not 0', () => {
    const d = def(birth, 'birth-uptake');
    const r = evaluate(d, d.compute(facts, ref, 2024), 2024, []);
    expect(r.value).toBeNull();
    expect(r.assessment).toBe('no-data');
  });
});

describe('rehab aid coverage (distinct children ÷ eligible)', () => {
  const ref = book([
    {
      kind: 'eligible',
      id: 'rehab-aid:2025',
      effectiveFrom: '2025-01-01',
      values: { children: 10, under7: 4 },
    },
  ]);
  const facts = {
    plans: [
      // child A (0–6): a plan and its renewal at the same institution
      { child: 'A', township: 'liushi', institution: 'yq-rehab-center', ageBand: '0-6' as const },
      { child: 'A', township: 'liushi', institution: 'yq-rehab-center', ageBand: '0-6' as const },
      // child B (7–17): aided by two institutions in the year
      { child: 'B', township: 'lecheng', institution: 'yq-rehab-center', ageBand: '7-17' as const },
      { child: 'B', township: 'lecheng', institution: 'other-inst', ageBand: '7-17' as const },
      { child: 'C', township: 'liushi', institution: 'other-inst', ageBand: '0-6' as const },
      { child: 'D', township: 'hongqiao', institution: 'other-inst', ageBand: '7-17' as const },
    ],
  };

  it('counts renewals and a child at two institutions once: 4 ÷ 10', () => {
    const d = def(rehab, 'rehab-coverage');
    const r = evaluate(d, d.compute(facts, ref, 2025), 2025, []);
    expect(r.figures).toEqual({ numerator: 4, denominator: 10 });
    expect(r.value).toBe(40);
    expect(r.assessment).toBe('behind');
    expect(row(r, 'liushi')).toMatchObject({ numerator: 2, denominator: null });
    expect(row(r, 'lecheng')).toMatchObject({ numerator: 1 });
    expect(row(r, 'danxi')).toMatchObject({ numerator: 0 });
  });

  it('the 0–6 share: 2 ÷ 4', () => {
    const d = def(rehab, 'rehab-coverage-0-6');
    const r = evaluate(d, d.compute(facts, ref, 2025), 2025, []);
    expect(r.figures).toEqual({ numerator: 2, denominator: 4 });
    expect(r.value).toBe(50);
  });

  it('no eligible count registered: no value', () => {
    const d = def(rehab, 'rehab-coverage');
    expect(evaluate(d, d.compute(facts, ref, 2024), 2024, []).value).toBeNull();
  });
});

describe('childcare places per 1,000 residents and the 普惠 share', () => {
  const ref = book([
    { kind: 'townships', id: 'liushi', effectiveFrom: '2025-01-01', values: { population: 270500 } },
  ]);
  const facts = {
    nurseries: [
      { township: 'lecheng', type: 'public' as const, places: 100 },
      { township: 'lecheng', type: 'inclusive' as const, places: 50 },
      { township: 'liushi', type: 'private' as const, places: 150 },
    ],
  };

  it('places ÷ population × 1,000, by township, with the population of the year', () => {
    const d = def(childcare, 'childcare-places-per-1000');
    const r2025 = evaluate(d, d.compute(facts, ref, 2025), 2025, []);
    const r2024 = evaluate(d, d.compute(facts, ref, 2024), 2024, []);
    // city: 300 places; seed population 1,701,000 (2024) and 1,711,500 with 柳市镇's 2025 figure
    expect(r2024.figures).toEqual({ numerator: 300, denominator: 1_701_000 });
    expect(r2025.figures).toEqual({ numerator: 300, denominator: 1_711_500 });
    expect(r2025.value).toBe(0.18);
    expect(r2025.assessment).toBe('behind');
    expect(row(r2025, 'lecheng')).toMatchObject({ numerator: 150, denominator: 210000, value: 0.71 });
    expect(row(r2024, 'liushi')).toMatchObject({ numerator: 150, denominator: 260000, value: 0.58 });
    expect(row(r2025, 'liushi')).toMatchObject({ numerator: 150, denominator: 270500, value: 0.55 });
    expect(row(r2025, 'danxi')).toMatchObject({ numerator: 0, denominator: 36000, value: 0 });
  });

  it('普惠 share: public and inclusive places ÷ all places (target > 60%)', () => {
    const d = def(childcare, 'childcare-inclusive-share');
    const r = evaluate(d, d.compute(facts, ref, 2025), 2025, []);
    expect(r.figures).toEqual({ numerator: 150, denominator: 300 });
    expect(r.value).toBe(50);
    expect(r.assessment).toBe('behind');
    expect(row(r, 'lecheng')).toMatchObject({ value: 100, assessment: 'met' });
    expect(row(r, 'liushi')).toMatchObject({ value: 0 });
    expect(row(r, 'danxi')).toMatchObject({ value: null, assessment: 'no-data' });
  });
});

describe('processing within the promised time (kernel, from the statistics cells)', () => {
  it('on time ÷ settled with a promised time, per service and overall', () => {
    const facts = {
      services: [
        { service: 'a', title: { 'zh-CN': '甲', en: 'A' }, slaKnown: 40, withinSla: 38 },
        { service: 'b', title: { 'zh-CN': '乙', en: 'B' }, slaKnown: 10, withinSla: 5 },
        { service: 'c', title: { 'zh-CN': '丙', en: 'C' }, slaKnown: 0, withinSla: 0 },
      ],
    };
    const r = evaluate(processingWithinSla, processingWithinSla.compute(facts, book([]), 2025), 2025, []);
    expect(r.figures).toEqual({ numerator: 43, denominator: 50 });
    expect(r.value).toBe(86);
    expect(r.rows.map((x) => [x.key, x.value, x.assessment])).toEqual([
      ['a', 95, 'near'],
      ['b', 50, 'behind'],
      ['c', null, 'no-data'],
    ]);
  });
});

describe('living-allowance coverage of children without caregivers', () => {
  const ref = book([
    {
      kind: 'eligible',
      id: 'child-living-allowance:2025',
      effectiveFrom: '2025-01-01',
      values: { children: 8 },
    },
  ]);
  const facts = {
    allowances: [
      // running since 2024: counts in 2025
      { township: 'liushi', startMonth: '2024-06' },
      // started in December 2025: counts
      { township: 'liushi', startMonth: '2025-12' },
      // ended in January 2025 (last month paid): counts for 2025
      { township: 'lecheng', startMonth: '2023-03', endMonth: '2025-01' },
      // ended in December 2024: not in 2025
      { township: 'lecheng', startMonth: '2022-01', endMonth: '2024-12' },
      // starts in 2026: not in 2025
      { township: 'hongqiao', startMonth: '2026-01' },
    ],
  };

  it('allowances paid in some month of the year ÷ children identified: 3 ÷ 8', () => {
    const d = def(allowance, 'allowance-coverage');
    const r = evaluate(d, d.compute(facts, ref, 2025), 2025, []);
    expect(r.figures).toEqual({ numerator: 3, denominator: 8 });
    expect(r.value).toBe(37.5);
    expect(r.assessment).toBe('behind');
    expect(row(r, 'liushi')).toMatchObject({ numerator: 2, denominator: null });
    expect(row(r, 'lecheng')).toMatchObject({ numerator: 1 });
    expect(row(r, 'hongqiao')).toMatchObject({ numerator: 0 });
    // no identified count for 2026: no value
    expect(evaluate(d, d.compute(facts, ref, 2026), 2026, []).value).toBeNull();
  });
});

describe('好差评 satisfaction (kernel, from the ratings)', () => {
  it('very satisfied, satisfied and basically satisfied ÷ all ratings, per service; no ratings: no value', () => {
    const ratings = [
      { service: 'rehab-aid', score: 'very-satisfied' as const },
      { service: 'rehab-aid', score: 'basically-satisfied' as const },
      { service: 'rehab-aid', score: 'very-dissatisfied' as const },
      { service: 'birth-registration', score: 'satisfied' as const },
      { service: 'birth-registration', score: 'dissatisfied' as const },
    ];
    const titles = {
      'rehab-aid': { 'zh-CN': '康复', en: 'Rehab' },
      'birth-registration': { 'zh-CN': '出生', en: 'Birth' },
    };
    const r = evaluate(
      ratingSatisfaction,
      ratingSatisfaction.compute({ ratings, titles }, book([]), 2026),
      2026,
      [],
    );
    expect(r.figures).toEqual({ numerator: 3, denominator: 5 });
    expect(r.value).toBe(60);
    expect(row(r, 'rehab-aid')).toMatchObject({ numerator: 2, denominator: 3 });
    expect(row(r, 'birth-registration')).toMatchObject({ numerator: 1, denominator: 2 });
    const none = ratingSatisfaction.compute({ ratings: [], titles }, book([]), 2026);
    expect(evaluate(ratingSatisfaction, none, 2026, []).value).toBeNull();
  });
});

describe('assessment (traffic light)', () => {
  it('met, near (within 10%), behind, no data; strict and lower-is-better targets', () => {
    const up = { year: 2025 as const, value: 4.5, comparator: '>=' as const };
    expect(assess(4.5, up)).toBe('met');
    expect(assess(4.05, up)).toBe('near');
    expect(assess(4.04, up)).toBe('behind');
    expect(assess(null, up)).toBe('no-data');
    expect(assess(60, { year: 2025, value: 60, comparator: '>' })).toBe('near');
    expect(assess(8, { year: 2025, value: 9, comparator: '<' })).toBe('met');
    expect(assess(9.5, { year: 2025, value: 9, comparator: '<' })).toBe('near');
    expect(ratioValue({ numerator: 1, denominator: 0 }, 'percent')).toBeNull();
    expect(ratioValue({ numerator: 1, denominator: 3 }, 'percent')).toBe(33.33);
  });
});
