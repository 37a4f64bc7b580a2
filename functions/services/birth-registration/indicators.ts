/**
 * The plan's birth one-thing indicators (二(二)6: 所有助产机构实现出生"一件事""最多跑一次";
 * 二(五)2: 儿童参加城乡居民基本医疗保险): uptake per 助产机构 and city, completion within the
 * 5-working-day promise, newborns enrolled in medical insurance through the joint application.
 * Births per hospital and month are reference data entered by admins (or imported as CSV).
 */

import { t } from '#core/i18n';
import type { IndicatorDefinition, ModuleIndicators } from '#core/indicators/catalogue';
import type { ReferenceBook } from '#core/reference/book';

export interface BirthApplicationFact {
  hospital: string;
  township?: string | undefined;
  status: string;
  /** settled: completed, partially completed or rejected */
  settled: boolean;
  /** settled by the promised time (undefined: not settled, or no due time) */
  withinSla?: boolean | undefined;
  /** the medical-insurance sub-case was approved */
  insured: boolean;
}

export interface BirthFacts {
  applications: BirthApplicationFact[];
}

const SERVICE = 'birth-registration';

/** Applications that count: every one submitted in the year except those withdrawn. */
const counted = (f: BirthFacts) => f.applications.filter((a) => a.status !== 'withdrawn');

/** One row per maternity hospital in the year (a hospital with no applications is 0, not absent). */
function perHospital(
  f: BirthFacts,
  ref: ReferenceBook,
  year: number,
  num: (a: BirthApplicationFact) => boolean,
  den: (hospital: string, apps: BirthApplicationFact[]) => number | null,
) {
  const hospitals = ref.hospitals(year, { maternityOnly: true });
  const apps = counted(f);
  const rows = hospitals.map((h) => {
    const mine = apps.filter((a) => a.hospital === h.id);
    return { key: h.id, name: h.name, numerator: mine.filter(num).length, denominator: den(h.id, mine) };
  });
  const known = rows.filter((r) => r.denominator !== null);
  return {
    numerator: known.reduce((s, r) => s + r.numerator, 0),
    denominator: known.length === 0 ? null : known.reduce((s, r) => s + (r.denominator ?? 0), 0),
    by: { dimension: 'hospital' as const, rows },
  };
}

const births = (ref: ReferenceBook, year: number) => (hospital: string) =>
  ref.birthsInYear(hospital, year) ?? null;

const birthsSource = t(
  '分子：本系统出生"一件事"申请（按提交日期，不含撤回）；分母：各助产机构每月出生数（管理员录入或导入 CSV）。',
  'Numerator: birth one-thing applications in Onestop (by submission date, withdrawn excluded); denominator: births per hospital and month (entered or imported as CSV by admins).',
);

const uptake: IndicatorDefinition<BirthFacts> = {
  id: 'birth-uptake',
  title: t('出生"一件事"办理率', 'Birth one-thing uptake'),
  definition: t(
    '年内出生"一件事"联办申请数占助产机构活产数的比例，按助产机构和全市统计。',
    'Joint birth applications in the year as a share of births at the maternity hospitals, per hospital and city-wide.',
  ),
  numerator: t('出生"一件事"申请数', 'Birth one-thing applications'),
  denominator: t('助产机构出生数', 'Births at maternity hospitals'),
  unit: 'percent',
  baseline: { year: 2020, value: null, note: t('规划无 2020 年数据', 'No 2020 figure in the plan') },
  target: {
    year: 2025,
    value: 100,
    comparator: '>=',
    note: t(
      '所有助产机构实现出生"一件事""最多跑一次"',
      'Every maternity hospital offers the birth one-thing',
    ),
  },
  services: [SERVICE],
  dataSource: birthsSource,
  compute: (f, ref, year) =>
    perHospital(
      f,
      ref,
      year,
      () => true,
      (h) => births(ref, year)(h),
    ),
};

const withinPromise: IndicatorDefinition<BirthFacts> = {
  id: 'birth-within-promise',
  title: t('出生"一件事"5 个工作日内办结率', 'Birth one-thing settled within 5 working days'),
  definition: t(
    '年内提交并已办结的申请中，在承诺时限（5 个工作日，补正期间暂停）内办结的比例。',
    'Of the applications submitted in the year and settled, the share settled within the promised 5 working days (paused while the parent corrects).',
  ),
  numerator: t('按时办结的申请数', 'Applications settled on time'),
  denominator: t('已办结的申请数', 'Applications settled'),
  unit: 'percent',
  baseline: { year: 2020, value: null, note: t('规划无 2020 年数据', 'No 2020 figure in the plan') },
  target: {
    year: 2025,
    value: 100,
    comparator: '>=',
    note: t('承诺 5 个工作日办结', 'Promise: 5 working days'),
  },
  services: [SERVICE],
  dataSource: t(
    '本系统申请的办结时间与承诺时限（工作日按国务院节假日安排计算）。',
    'Settlement and due times of the applications in Onestop (working days per the State Council holiday calendar).',
  ),
  compute: (f, ref, year) =>
    perHospital(
      f,
      ref,
      year,
      (a) => a.settled && a.withinSla === true,
      (_h, mine) => mine.filter((a) => a.settled && a.withinSla !== undefined).length,
    ),
};

const insured: IndicatorDefinition<BirthFacts> = {
  id: 'newborn-insurance',
  title: t('新生儿经"一件事"参保率', 'Newborns enrolled in medical insurance via the birth one-thing'),
  definition: t(
    '年内经出生"一件事"完成城乡居民医保参保登记的新生儿占出生数的比例。',
    'Newborns enrolled in the urban-rural resident medical insurance through the joint application, as a share of births.',
  ),
  numerator: t('医保参保子事项已办结的申请数', 'Applications whose medical-insurance sub-case was approved'),
  denominator: t('助产机构出生数', 'Births at maternity hospitals'),
  unit: 'percent',
  baseline: { year: 2020, value: null, note: t('规划无 2020 年数据', 'No 2020 figure in the plan') },
  target: {
    year: 2025,
    value: 100,
    comparator: '>=',
    note: t('继续保持学前儿童医疗保障全覆盖', 'Keep medical insurance universal for pre-school children'),
  },
  services: [SERVICE],
  dataSource: birthsSource,
  compute: (f, ref, year) => perHospital(f, ref, year, (a) => a.insured, births(ref, year)),
};

export const indicators: ModuleIndicators<BirthFacts> = {
  definitions: [uptake, withinPromise, insured],
  async loadFacts(year) {
    const { casesCreatedInYear, at } = await import('#adapters/dynamodb/case-facts');
    const items = await casesCreatedInYear(SERVICE, year, [
      'form.child.hospital',
      'steps.medical-insurance.status',
    ]);
    return {
      applications: items.map((i) => {
        const status = String(i.status);
        const settled = status === 'completed' || status === 'partially-completed' || status === 'rejected';
        const completedAt = typeof i.completedAt === 'string' ? i.completedAt : undefined;
        const dueAt = typeof i.dueAt === 'string' ? i.dueAt : undefined;
        return {
          hospital: String(at(i, 'form.child.hospital') ?? ''),
          township: typeof i.township === 'string' ? i.township : undefined,
          status,
          settled,
          withinSla: settled && completedAt && dueAt ? completedAt <= dueAt : undefined,
          insured: at(i, 'steps.medical-insurance.status') === 'done',
        };
      }),
    };
  },
};
