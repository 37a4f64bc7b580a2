/**
 * The kernel's own indicator: cases settled within the promised time (办理时限), per service,
 * from the statistics cells' whole-case counters (functions/core/analytics/cells.ts). Every
 * service feeds it; none is named here.
 */
import { t } from '../i18n.ts';
import type { IndicatorDefinition } from './catalogue.ts';

export interface SlaFacts {
  services: Array<{
    service: string;
    title: { 'zh-CN': string; en: string };
    slaKnown: number;
    withinSla: number;
  }>;
}

export const processingWithinSla: IndicatorDefinition<SlaFacts> = {
  id: 'processing-within-sla',
  title: t('按承诺时限办结率', 'Cases settled within the promised time'),
  definition: t(
    '年内办结的申请中，在各事项承诺时限（工作日）内办结的比例，按事项统计。',
    'Of the cases settled in the year, the share settled within each service’s promised working days, per service.',
  ),
  numerator: t('按时办结的申请数', 'Cases settled on time'),
  denominator: t('有承诺时限的已办结申请数', 'Cases settled that have a promised time'),
  unit: 'percent',
  baseline: { year: 2020, value: null, note: t('规划无 2020 年数据', 'No 2020 figure in the plan') },
  target: {
    year: 2025,
    value: 100,
    comparator: '>=',
    note: t('"最多跑一次"承诺时限', 'The one-trip promised times'),
  },
  services: [],
  dataSource: t(
    '本系统统计单元（按办结日，北京时间）中的办结与按时办结计数。',
    'Settled and on-time counts of the Onestop statistics cells (by settlement day, China time).',
  ),
  compute: (f) => {
    const rows = f.services.map((s) => ({
      key: s.service,
      name: s.title,
      numerator: s.withinSla,
      denominator: s.slaKnown,
    }));
    return {
      numerator: rows.reduce((n, r) => n + r.numerator, 0),
      denominator: rows.reduce((n, r) => n + r.denominator, 0),
      by: { dimension: 'service', rows },
    };
  },
};
