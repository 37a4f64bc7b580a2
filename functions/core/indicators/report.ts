/**
 * The indicator board and the yearly monitoring report (年度监测, issue 17) for a year: every
 * indicator of the installed modules plus the kernel's processing-within-SLA, each with
 * baseline, value, target, assessment, rows by township or hospital and the trend over the
 * plan's years; the yearly report adds tables by township and by hospital and the notes on data
 * sources. Reproducible for a past year: reference data as of that year's end, cases submitted
 * in it, statistics cells of it.
 */

import { type I18nText, t } from '../i18n.ts';
import type { ReferenceBook } from '../reference/book.ts';
import { csvRow as csvLine } from '../reports/csv.ts';
import {
  evaluate,
  type IndicatorDefinition,
  type IndicatorFigures,
  type IndicatorResult,
  PLAN_YEARS,
} from './catalogue.ts';

/** One indicator and where its facts come from (facts are loaded once per year and source). */
export interface IndicatorSource {
  /** facts shared by the definitions of one module */
  sourceId: string;
  definition: IndicatorDefinition<unknown>;
  loadFacts(year: number): Promise<unknown>;
}

export interface IndicatorsReport {
  year: number;
  generatedAt: string;
  indicators: IndicatorResult[];
}

export async function indicatorsReport(
  sources: IndicatorSource[],
  reference: ReferenceBook,
  year: number,
  now: Date,
): Promise<IndicatorsReport> {
  const cache = new Map<string, Promise<unknown>>();
  const facts = (s: IndicatorSource, y: number) => {
    const key = `${s.sourceId}|${y}`;
    let p = cache.get(key);
    if (!p) {
      p = s.loadFacts(y);
      cache.set(key, p);
    }
    return p;
  };
  const thisYear = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
  const compute = async (s: IndicatorSource, y: number): Promise<IndicatorFigures | undefined> =>
    y > thisYear ? undefined : s.definition.compute(await facts(s, y), reference, y);
  const indicators = await Promise.all(
    sources.map(async (s) => {
      const trend = await Promise.all(
        PLAN_YEARS.map(async (y) => ({ year: y, figures: await compute(s, y) })),
      );
      const figures = (await compute(s, year)) ?? { numerator: 0, denominator: null };
      return evaluate(s.definition, figures, year, trend);
    }),
  );
  return { year, generatedAt: now.toISOString(), indicators };
}

export interface YearlyTableColumn {
  indicator: string;
  title: I18nText;
  unit: IndicatorResult['unit'];
}
export interface YearlyTable {
  dimension: 'township' | 'hospital';
  columns: YearlyTableColumn[];
  rows: Array<{
    key: string;
    name: I18nText;
    /** reference figures of the year: population and under-3 (townships), births (hospitals) */
    reference: Record<string, number | null>;
    values: Array<{ value: number | null; numerator: number; denominator: number | null }>;
  }>;
}

export interface YearlyReport extends IndicatorsReport {
  title: I18nText;
  summary: { met: number; near: number; behind: number; noData: number };
  tables: YearlyTable[];
  notes: Array<{ indicator: string; title: I18nText; dataSource: I18nText }>;
  general: I18nText[];
}

export function yearlyReport(board: IndicatorsReport, reference: ReferenceBook): YearlyReport {
  const { year } = board;
  const count = (a: string) => board.indicators.filter((i) => i.assessment === a).length;
  const table = (dimension: 'township' | 'hospital'): YearlyTable => {
    const of = board.indicators.filter((i) => i.dimension === dimension);
    const entities =
      dimension === 'township'
        ? reference.townships(year).map((tw) => ({
            key: tw.id,
            name: tw.name,
            reference: { population: tw.population, under3: tw.under3 ?? null },
          }))
        : reference.hospitals(year, { maternityOnly: true }).map((h) => ({
            key: h.id,
            name: h.name,
            reference: { births: reference.birthsInYear(h.id, year) ?? null },
          }));
    return {
      dimension,
      columns: of.map((i) => ({ indicator: i.id, title: i.title, unit: i.unit })),
      rows: entities.map((e) => ({
        ...e,
        values: of.map((i) => {
          const r = i.rows.find((x) => x.key === e.key);
          return {
            value: r?.value ?? null,
            numerator: r?.numerator ?? 0,
            denominator: r?.denominator ?? null,
          };
        }),
      })),
    };
  };
  return {
    ...board,
    title: t(
      `乐清市儿童发展"十四五"规划 ${year} 年度监测报告`,
      `Yueqing children's development plan: ${year} monitoring report`,
    ),
    summary: { met: count('met'), near: count('near'), behind: count('behind'), noData: count('no-data') },
    tables: [table('township'), table('hospital')],
    notes: board.indicators.map((i) => ({ indicator: i.id, title: i.title, dataSource: i.dataSource })),
    general: [
      t(
        `参考数据（人口、出生数、符合条件儿童数）取 ${year} 年 12 月 31 日有效的数值；修改留痕，可随时重算任一往年。`,
        `Reference data (populations, births, eligible children) as in effect on 31 December ${year}; every change is kept, so any past year can be recomputed.`,
      ),
      t(
        '申请按提交日期（北京时间）归入年度；办结情况为生成报告时的状态。',
        'Applications count in the year they were submitted (China time); their outcome is as of the report’s generation.',
      ),
      t(
        '评估：达标（绿）、接近目标（10% 以内，黄）、未达标（红）、无数据（灰：分母未录入）。',
        'Assessment: met (green), near (within 10%, amber), behind (red), no data (grey: no denominator entered).',
      ),
    ],
  };
}

const fmt = (v: number | null) => (v === null ? '' : String(v));
const UNIT: Record<IndicatorResult['unit'], string> = { percent: '%', per1000: '‰人' };

/** The yearly report as CSV for the statistics bureau: indicators, then each table. */
export function yearlyCsv(r: YearlyReport): string {
  const lines: string[] = [];
  lines.push(csvLine([r.title['zh-CN'], r.title.en]));
  lines.push(
    csvLine([
      'indicator',
      '指标',
      'unit',
      'baseline_2020',
      `value_${r.year}`,
      'numerator',
      'denominator',
      'target_2025',
      'assessment',
      ...(r.indicators[0]?.trend.map((p) => `trend_${p.year}`) ?? []),
    ]),
  );
  for (const i of r.indicators) {
    lines.push(
      csvLine([
        i.id,
        i.title['zh-CN'],
        UNIT[i.unit],
        fmt(i.baseline.value),
        fmt(i.value),
        String(i.figures.numerator),
        fmt(i.figures.denominator),
        `${i.target.comparator}${i.target.value}`,
        i.assessment,
        ...i.trend.map((p) => fmt(p.value)),
      ]),
    );
  }
  for (const tb of r.tables) {
    lines.push('');
    const refKeys = Object.keys(tb.rows[0]?.reference ?? {});
    lines.push(csvLine([tb.dimension, '名称', ...refKeys, ...tb.columns.map((c) => c.indicator)]));
    for (const row of tb.rows) {
      lines.push(
        csvLine([
          row.key,
          row.name['zh-CN'],
          ...refKeys.map((k) => fmt(row.reference[k] ?? null)),
          ...row.values.map((v) => fmt(v.value)),
        ]),
      );
    }
  }
  // a byte-order mark so that spreadsheet programs read the Chinese text as UTF-8
  return `\uFEFF${lines.join('\n')}\n`;
}
