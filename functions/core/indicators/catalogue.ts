/**
 * The plan's indicators (年度监测, issue 17): each with its definition, numerator, denominator,
 * unit, 2020 baseline and 2025 target from the plan, the services feeding it and its data
 * source. A service module declares the indicators it feeds in `functions/services/<id>/
 * indicators.ts` (ServiceModule.indicators); the kernel evaluates them for a year from the
 * module's facts and the reference data (functions/core/reference/book.ts). Pure.
 */
import type { I18nText } from '../i18n.ts';
import type { ReferenceBook } from '../reference/book.ts';

export type IndicatorUnit = 'per1000' | 'percent';
export type Dimension = 'township' | 'hospital' | 'service';
export type Comparator = '>=' | '>' | '<=' | '<';
export type Assessment = 'met' | 'near' | 'behind' | 'no-data';

/** The plan's monitoring years (十四五): the trend runs over these. */
export const PLAN_YEARS = [2021, 2022, 2023, 2024, 2025] as const;

export interface Ratio {
  numerator: number;
  /** null: no denominator known (e.g. births not entered) — the value is then unknown, not 0 */
  denominator: number | null;
}

export interface DimensionRow extends Ratio {
  key: string;
  name?: I18nText | undefined;
}

export interface IndicatorFigures extends Ratio {
  by?: { dimension: Dimension; rows: DimensionRow[] } | undefined;
}

export interface IndicatorDefinition<F = unknown> {
  id: string;
  title: I18nText;
  definition: I18nText;
  numerator: I18nText;
  denominator: I18nText;
  unit: IndicatorUnit;
  /** the plan's 2020 figure in this unit; null when the plan has none (无数据) or it is not a rate */
  baseline: { year: 2020; value: number | null; note?: I18nText | undefined };
  target: { year: 2025; value: number; comparator: Comparator; note?: I18nText | undefined };
  /** service ids feeding it */
  services: string[];
  dataSource: I18nText;
  compute(facts: F, ref: ReferenceBook, year: number): IndicatorFigures;
}

/** What `functions/services/<id>/indicators.ts` exports as `indicators`. */
export interface ModuleIndicators<F = unknown> {
  definitions: IndicatorDefinition<F>[];
  /**
   * The module's facts for a year (China calendar): aggregates or pseudonymous keys only, read
   * with Query (the module builds its store from functions/shared/wiring.ts).
   */
  loadFacts(year: number): Promise<F>;
}

const SCALE: Record<IndicatorUnit, number> = { per1000: 1000, percent: 100 };

export const round2 = (x: number) => Math.round(x * 100) / 100;

/** numerator ÷ denominator in the unit, rounded to 2 decimals; null without a denominator. */
export function ratioValue(r: Ratio, unit: IndicatorUnit): number | null {
  if (r.denominator === null || r.denominator === 0) return null;
  return round2((r.numerator / r.denominator) * SCALE[unit]);
}

function meets(value: number, target: number, c: Comparator): boolean {
  if (c === '>=') return value >= target;
  if (c === '>') return value > target;
  if (c === '<=') return value <= target;
  return value < target;
}

/**
 * The traffic light: met (green); near (amber) within 10% of the target on the wrong side;
 * behind (red); no-data (grey) when the value is unknown.
 */
export function assess(value: number | null, target: IndicatorDefinition['target']): Assessment {
  if (value === null) return 'no-data';
  if (meets(value, target.value, target.comparator)) return 'met';
  const up = target.comparator === '>=' || target.comparator === '>';
  const near = up ? value >= target.value * 0.9 : value <= target.value * 1.1;
  return near ? 'near' : 'behind';
}

export interface IndicatorRow {
  key: string;
  name?: I18nText | undefined;
  numerator: number;
  denominator: number | null;
  value: number | null;
  assessment: Assessment;
}

export interface IndicatorResult {
  id: string;
  title: I18nText;
  definition: I18nText;
  numerator: I18nText;
  denominator: I18nText;
  unit: IndicatorUnit;
  baseline: IndicatorDefinition['baseline'];
  target: IndicatorDefinition['target'];
  services: string[];
  dataSource: I18nText;
  year: number;
  figures: Ratio;
  value: number | null;
  assessment: Assessment;
  dimension?: Dimension | undefined;
  rows: IndicatorRow[];
  trend: Array<{ year: number; value: number | null; assessment: Assessment }>;
}

export function evaluate<F>(
  def: IndicatorDefinition<F>,
  figures: IndicatorFigures,
  year: number,
  trend: Array<{ year: number; figures: IndicatorFigures | undefined }>,
): IndicatorResult {
  const value = ratioValue(figures, def.unit);
  return {
    id: def.id,
    title: def.title,
    definition: def.definition,
    numerator: def.numerator,
    denominator: def.denominator,
    unit: def.unit,
    baseline: def.baseline,
    target: def.target,
    services: def.services,
    dataSource: def.dataSource,
    year,
    figures: { numerator: figures.numerator, denominator: figures.denominator },
    value,
    assessment: assess(value, def.target),
    dimension: figures.by?.dimension,
    rows: (figures.by?.rows ?? []).map((r) => {
      const v = ratioValue(r, def.unit);
      return {
        key: r.key,
        name: r.name,
        numerator: r.numerator,
        denominator: r.denominator,
        value: v,
        assessment: assess(v, def.target),
      };
    }),
    trend: trend.map((p) => {
      const v = p.figures ? ratioValue(p.figures, def.unit) : null;
      return { year: p.year, value: v, assessment: assess(v, def.target) };
    }),
  };
}

/** Counts each key once (renewals, a child at two institutions). */
export function distinct<T>(items: Iterable<T>, key: (x: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const x of items) {
    const k = key(x);
    if (!out.has(k)) out.set(k, x);
  }
  return out;
}
