/**
 * The kernel's 好差评 indicator: the share of the year's ratings that are 非常满意, 满意 or 基本满意,
 * per service, from the ratings families give when their cases end (functions/core/ratings.ts).
 * Every service feeds it; none is named here.
 */
import { t } from '../i18n.ts';
import { BAD_SCORES, type Rating } from '../ratings.ts';
import type { IndicatorDefinition } from './catalogue.ts';

export interface SatisfactionFacts {
  ratings: Array<Pick<Rating, 'service' | 'score'>>;
  /** service id → its title, for the rows */
  titles: Record<string, { 'zh-CN': string; en: string }>;
}

export const ratingSatisfaction: IndicatorDefinition<SatisfactionFacts> = {
  id: 'rating-satisfaction',
  title: t('好差评满意率', 'Satisfaction in service ratings (好差评)'),
  definition: t(
    '年内家庭对办结申请的评价中，非常满意、满意和基本满意所占比例，按事项统计。',
    'Of the ratings families gave their ended cases in the year, the share very satisfied, satisfied or basically satisfied, per service.',
  ),
  numerator: t(
    '非常满意、满意、基本满意的评价数',
    'Ratings very satisfied, satisfied or basically satisfied',
  ),
  denominator: t('评价总数', 'All ratings'),
  unit: 'percent',
  baseline: { year: 2020, value: null, note: t('规划无 2020 年数据', 'No 2020 figure in the plan') },
  target: {
    year: 2025,
    value: 90,
    comparator: '>=',
    note: t(
      '规划未列此指标；90% 为本系统的参考值，不是规划目标',
      'Not an indicator of the plan; 90% is this system’s reference value, not a plan target',
    ),
  },
  services: [],
  dataSource: t(
    '本系统好差评记录（按评价日，北京时间；每件申请评价一次）。',
    'Onestop’s 好差评 ratings (by rating day, China time; one rating per case).',
  ),
  compute: (f) => {
    const by = new Map<string, { good: number; all: number }>();
    for (const r of f.ratings) {
      const c = by.get(r.service) ?? { good: 0, all: 0 };
      c.all += 1;
      if (!BAD_SCORES.has(r.score)) c.good += 1;
      by.set(r.service, c);
    }
    const rows = [...by.entries()].map(([key, c]) => ({
      key,
      name: f.titles[key],
      numerator: c.good,
      denominator: c.all,
    }));
    const total = rows.reduce((n, r) => n + r.denominator, 0);
    return {
      numerator: rows.reduce((n, r) => n + r.numerator, 0),
      // no rating in the year: unknown, not 0%
      denominator: total === 0 ? null : total,
      by: { dimension: 'service', rows },
    };
  },
};
