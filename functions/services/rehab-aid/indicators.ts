/**
 * The plan's rehab-aid indicator (重点指标 9 残疾儿童康复救助人数: 2020 年 312 人 → 全覆盖; 二(五)3
 * 提高 0-6 岁残疾儿童抢救性康复率) as rates: distinct children with an aid plan in the year ÷
 * children eligible (the count the disabled persons' federation registers each year, reference
 * data `eligible` `rehab-aid:<year>`), and the same for children aged 0–6. A child is counted
 * once however many plans the year holds (a renewal, a change of institution, two institutions):
 * plans are keyed by the child's blind index, never the ID number.
 */

import { t } from '#core/i18n';
import { distinct, type IndicatorDefinition, type ModuleIndicators } from '#core/indicators/catalogue';
import type { ReferenceBook } from '#core/reference/book';

export interface AidedFact {
  /** HMAC blind index of the child's ID number */
  child: string;
  township: string;
  institution: string;
  ageBand: '0-6' | '7-17';
}

export interface RehabFacts {
  plans: AidedFact[];
}

const SERVICE = 'rehab-aid';
export const ELIGIBLE_PROGRAMME = SERVICE;

function coverage(f: RehabFacts, ref: ReferenceBook, year: number, under7: boolean) {
  const children = distinct(
    f.plans.filter((p) => !under7 || p.ageBand === '0-6'),
    (p) => p.child,
  );
  const eligible = ref.eligible(ELIGIBLE_PROGRAMME, year);
  const denominator = (under7 ? eligible?.under7 : eligible?.children) ?? null;
  const byTownship = new Map<string, number>();
  for (const p of children.values()) byTownship.set(p.township, (byTownship.get(p.township) ?? 0) + 1);
  return {
    numerator: children.size,
    denominator,
    by: {
      dimension: 'township' as const,
      // the eligible count is registered city-wide only: townships show children aided
      rows: ref.townships(year).map((tw) => ({
        key: tw.id,
        name: tw.name,
        numerator: byTownship.get(tw.id) ?? 0,
        denominator: null,
      })),
    },
  };
}

const source = t(
  '分子：本系统年内康复救助方案涉及的儿童（按身份证号盲索引去重，续期、变更或两家机构只计一次）；分母：市残联登记的当年符合救助条件儿童数（管理员录入）。',
  'Numerator: children with an aid plan in Onestop in the year (distinct by blind index of the ID number: renewals, changes and two institutions count once); denominator: children eligible in the year as registered by the city Disabled Persons’ Federation (entered by admins).',
);

const all: IndicatorDefinition<RehabFacts> = {
  id: 'rehab-coverage',
  title: t('残疾儿童康复救助覆盖率', 'Rehab aid coverage of disabled children'),
  definition: t(
    '年内获得康复救助的残疾儿童（去重）占符合条件儿童的比例。',
    'Distinct disabled children aided in the year as a share of the children eligible.',
  ),
  numerator: t('获得救助的儿童数（去重）', 'Children aided (distinct)'),
  denominator: t('符合条件的儿童数（市残联登记）', 'Children eligible (registered by the DPF)'),
  unit: 'percent',
  baseline: {
    year: 2020,
    value: null,
    note: t(
      '2020 年救助 312 人（人数，规划未给出分母）',
      '2020: 312 children aided (a count; the plan gives no denominator)',
    ),
  },
  target: { year: 2025, value: 100, comparator: '>=', note: t('全覆盖', 'Universal coverage') },
  services: [SERVICE],
  dataSource: source,
  compute: (f, ref, year) => coverage(f, ref, year, false),
};

const under7: IndicatorDefinition<RehabFacts> = {
  id: 'rehab-coverage-0-6',
  title: t('0–6 岁残疾儿童抢救性康复率', 'Rescue rehabilitation rate, disabled children aged 0–6'),
  definition: t(
    '年内获得康复救助的 0–6 岁残疾儿童（去重）占符合条件 0–6 岁儿童的比例。',
    'Distinct disabled children aged 0–6 aided in the year as a share of the eligible children aged 0–6.',
  ),
  numerator: t('获得救助的 0–6 岁儿童数（去重）', 'Children aged 0–6 aided (distinct)'),
  denominator: t('符合条件的 0–6 岁儿童数', 'Eligible children aged 0–6'),
  unit: 'percent',
  baseline: { year: 2020, value: null, note: t('规划无 2020 年数据', 'No 2020 figure in the plan') },
  target: {
    year: 2025,
    value: 100,
    comparator: '>=',
    note: t('提高抢救性康复率，全覆盖', 'Raise towards universal coverage'),
  },
  services: [SERVICE],
  dataSource: source,
  compute: (f, ref, year) => coverage(f, ref, year, true),
};

export const indicators: ModuleIndicators<RehabFacts> = {
  definitions: [all, under7],
  async loadFacts(year) {
    const [{ QueryCommand }, { table }, { rehabKeys }, { seedInstitutionRecords }, { DynamoRehabStore }] =
      await Promise.all([
        import('@aws-sdk/lib-dynamodb'),
        import('#shared/table'),
        import('./keys.ts'),
        import('./reference.ts'),
        import('./store.ts'),
      ]);
    const { doc, tableName } = table();
    // every institution: the seed's and those admins added (its plans are filed under its id)
    const institutions = new Set([
      ...seedInstitutionRecords.map((i) => i.id),
      ...(await new DynamoRehabStore(doc, tableName).listInstitutions()).map((i) => i.id),
    ]);
    const lists = await Promise.all(
      [...institutions].map(async (id) => {
        const out: AidedFact[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const res = await doc.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: 'GSI1',
              KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :year)',
              ExpressionAttributeValues: { ':pk': rehabKeys.plansPk(id), ':year': `${year}#` },
              ProjectionExpression: 'childKey, township, institution, ageBand',
              ExclusiveStartKey: start,
            }),
          );
          for (const i of res.Items ?? []) {
            out.push({
              child: String(i.childKey),
              township: String(i.township),
              institution: String(i.institution),
              ageBand: i.ageBand === '0-6' ? '0-6' : '7-17',
            });
          }
          start = res.LastEvaluatedKey;
        } while (start);
        return out;
      }),
    );
    return { plans: lists.flat() };
  },
};
