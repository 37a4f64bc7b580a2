/**
 * The plan's childcare indicators (重点指标 3 每千人拥有 3 岁以下婴幼儿托位数: 2020 无数据 → 4.5;
 * Zhejiang's 普惠 share of places > 60%): licensed places of the registered nurseries per 1,000
 * residents (township populations from the reference data, as of the year's end), and the share
 * of places at public and 普惠 (inclusive, subsidised) nurseries, city-wide and by township.
 * The nursery register keeps no history yet: a past year is computed with today's register
 * (docs/decisions.md, issue 17).
 */

import { t } from '#core/i18n';
import type { IndicatorDefinition, ModuleIndicators } from '#core/indicators/catalogue';

export interface NurseryFact {
  township: string;
  type: 'public' | 'inclusive' | 'private';
  places: number;
}

export interface ChildcareFacts {
  nurseries: NurseryFact[];
}

const SERVICE = 'childcare-slot';

const source = t(
  '托位：卫生健康局备案的托育机构核定托位（本系统托育机构名录）；人口：各乡镇（街道）年末常住人口（管理员维护的参考数据）。',
  'Places: licensed places of the nurseries registered with the health bureau (the Onestop register); population: resident population per township at the year’s end (reference data kept by admins).',
);

const perThousand: IndicatorDefinition<ChildcareFacts> = {
  id: 'childcare-places-per-1000',
  title: t('每千人拥有 3 岁以下婴幼儿托位数', 'Childcare places for children under 3 per 1,000 residents'),
  definition: t(
    '备案托育机构核定托位数除以常住人口（千人）。',
    'Licensed places of the registered nurseries per 1,000 resident population.',
  ),
  numerator: t('托位数', 'Licensed places'),
  denominator: t('常住人口', 'Resident population'),
  unit: 'per1000',
  baseline: { year: 2020, value: null, note: t('2020 年无数据', 'No 2020 data') },
  target: { year: 2025, value: 4.5, comparator: '>=' },
  services: [SERVICE],
  dataSource: source,
  compute: (f, ref, year) => {
    const townships = ref.townships(year);
    const rows = townships.map((tw) => ({
      key: tw.id,
      name: tw.name,
      numerator: f.nurseries.filter((n) => n.township === tw.id).reduce((s, n) => s + n.places, 0),
      denominator: tw.population,
    }));
    return {
      numerator: f.nurseries.reduce((s, n) => s + n.places, 0),
      denominator: townships.length === 0 ? null : townships.reduce((s, tw) => s + tw.population, 0),
      by: { dimension: 'township', rows },
    };
  },
};

const inclusive = (n: NurseryFact) => n.type === 'public' || n.type === 'inclusive';

const inclusiveShare: IndicatorDefinition<ChildcareFacts> = {
  id: 'childcare-inclusive-share',
  title: t('普惠性托位占比', 'Share of inclusive (普惠) places'),
  definition: t(
    '公办及普惠性托育机构的托位占全部备案托位的比例。',
    'Places at public and inclusive (subsidised) nurseries as a share of all licensed places.',
  ),
  numerator: t('公办及普惠托位数', 'Public and inclusive places'),
  denominator: t('全部托位数', 'All licensed places'),
  unit: 'percent',
  baseline: { year: 2020, value: null, note: t('2020 年无数据', 'No 2020 data') },
  target: { year: 2025, value: 60, comparator: '>', note: t('浙江省目标', 'Zhejiang province target') },
  services: [SERVICE],
  dataSource: source,
  compute: (f, ref, year) => {
    const sum = (ns: NurseryFact[]) => ns.reduce((s, n) => s + n.places, 0);
    return {
      numerator: sum(f.nurseries.filter(inclusive)),
      denominator: sum(f.nurseries),
      by: {
        dimension: 'township',
        rows: ref.townships(year).map((tw) => {
          const mine = f.nurseries.filter((n) => n.township === tw.id);
          return {
            key: tw.id,
            name: tw.name,
            numerator: sum(mine.filter(inclusive)),
            denominator: sum(mine),
          };
        }),
      },
    };
  },
};

export const indicators: ModuleIndicators<ChildcareFacts> = {
  definitions: [perThousand, inclusiveShare],
  async loadFacts() {
    const [{ table }, { DynamoNurseryRepository }] = await Promise.all([
      import('#shared/table'),
      import('./store.ts'),
    ]);
    const { doc, tableName } = table();
    const nurseries = await new DynamoNurseryRepository(doc, tableName).listNurseries();
    return {
      nurseries: nurseries.map((n) => ({
        township: n.township,
        type: n.type,
        places: Object.values(n.places).reduce<number>((s, p) => s + (p ?? 0), 0),
      })),
    };
  },
};
