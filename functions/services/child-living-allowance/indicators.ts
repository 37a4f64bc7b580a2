/**
 * The plan's 保障 of children without caregivers as a rate (儿童与福利: 孤儿和事实无人抚养儿童
 * 基本生活保障): children receiving the allowance at any time in the year ÷ children identified as
 * de facto without caregivers that year (the count the civil-affairs bureau registers, reference
 * data `eligible` `child-living-allowance:<year>`, entered by admins). An allowance counts for a
 * year when its paid months (first month … last month, or still running) overlap it.
 */
import { t } from '#core/i18n';
import type { IndicatorDefinition, ModuleIndicators } from '#core/indicators/catalogue';
import type { ReferenceBook } from '#core/reference/book';

const SERVICE = 'child-living-allowance';
export const ELIGIBLE_PROGRAMME = SERVICE;

export interface AllowanceFact {
  township: string;
  /** YYYY-MM */
  startMonth: string;
  /** YYYY-MM, absent while it runs */
  endMonth?: string | undefined;
}

export interface AllowanceFacts {
  allowances: AllowanceFact[];
}

/** Paid in some month of `year`. */
export const coversYear = (a: AllowanceFact, year: number): boolean =>
  a.startMonth <= `${year}-12` && (a.endMonth === undefined || a.endMonth >= `${year}-01`);

function coverage(f: AllowanceFacts, ref: ReferenceBook, year: number) {
  const inYear = f.allowances.filter((a) => coversYear(a, year));
  const byTownship = new Map<string, number>();
  for (const a of inYear) byTownship.set(a.township, (byTownship.get(a.township) ?? 0) + 1);
  return {
    numerator: inYear.length,
    denominator: ref.eligible(ELIGIBLE_PROGRAMME, year)?.children ?? null,
    by: {
      dimension: 'township' as const,
      // the eligible count is registered city-wide only: townships show children covered
      rows: ref.townships(year).map((tw) => ({
        key: tw.id,
        name: tw.name,
        numerator: byTownship.get(tw.id) ?? 0,
        denominator: null,
      })),
    },
  };
}

const allowanceCoverage: IndicatorDefinition<AllowanceFacts> = {
  id: 'allowance-coverage',
  title: t('事实无人抚养儿童基本生活保障覆盖率', 'Living-allowance coverage of children without caregivers'),
  definition: t(
    '年内领取基本生活补贴的事实无人抚养儿童占当年认定的事实无人抚养儿童的比例。',
    'Children without caregivers receiving the living allowance in the year as a share of those identified that year.',
  ),
  numerator: t('年内领取补贴的儿童数', 'Children receiving the allowance in the year'),
  denominator: t(
    '当年认定的事实无人抚养儿童数（民政局登记）',
    'Children identified that year (civil-affairs register)',
  ),
  unit: 'percent',
  baseline: { year: 2020, value: null, note: t('规划无 2020 年数据', 'No 2020 figure in the plan') },
  target: { year: 2025, value: 100, comparator: '>=', note: t('应保尽保', 'Everyone eligible covered') },
  services: [SERVICE],
  dataSource: t(
    '分子：本系统年内有发放月份的补贴（按申请计）；分母：民政局登记的当年事实无人抚养儿童数（管理员录入）。',
    'Numerator: allowances in Onestop with a paid month in the year (one per case); denominator: children identified by the civil-affairs bureau that year (entered by admins).',
  ),
  compute: coverage,
};

export const indicators: ModuleIndicators<AllowanceFacts> = {
  definitions: [allowanceCoverage],
  async loadFacts() {
    const [{ table }, { AllowanceStore }, { townships }] = await Promise.all([
      import('#shared/table'),
      import('./store.ts'),
      import('#core/reference/leqing'),
    ]);
    const store = new AllowanceStore(table().doc, table().tableName);
    // one Query per township (every allowance, running or ended, is filed under its township)
    const lists = await Promise.all(townships.map((tw) => store.listTownship(tw.id)));
    return {
      allowances: lists
        .flat()
        .map((a) => ({ township: a.township, startMonth: a.startMonth, endMonth: a.endMonth })),
    };
  },
};
