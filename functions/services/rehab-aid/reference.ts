/**
 * Seed reference data of 残疾儿童康复救助 in 乐清: disability categories, the designated
 * rehabilitation institutions (定点康复机构), hospitals qualified to diagnose, the yearly aid
 * standards per category and age band (version 1 of each year; admins publish later versions
 * through the API, which live in the table). An institution's staff carry the agency
 * `rehab-institution:<id>`. Amounts are integer fen (分). Figures are plausible approximations.
 */
import { type I18nText, t } from '../../core/i18n.ts';

export const disabilityCategories = [
  'vision',
  'hearing',
  'speech',
  'physical',
  'intellectual',
  'autism',
] as const;
export type DisabilityCategory = (typeof disabilityCategories)[number];

export const categoryNames: Record<DisabilityCategory, I18nText> = {
  vision: t('视力', 'vision'),
  hearing: t('听力', 'hearing'),
  speech: t('言语', 'speech'),
  physical: t('肢体', 'physical'),
  intellectual: t('智力', 'intellectual'),
  autism: t('孤独症', 'autism'),
};

/**
 * The category digit in a second-generation 残疾人证 number (18-digit ID + category + level):
 * 1 视力 2 听力 3 言语 4 肢体 5 智力 6 精神 7 多重. 孤独症 is certified as 精神 (6); a child with
 * several disabilities holds a 多重 (7) certificate, accepted for every category.
 */
export const certificateCategoryDigit: Record<DisabilityCategory, string> = {
  vision: '1',
  hearing: '2',
  speech: '3',
  physical: '4',
  intellectual: '5',
  autism: '6',
};
export const MULTIPLE_DISABILITY_DIGIT = '7';

export const ageBands = ['0-6', '7-17'] as const;
export type AgeBand = (typeof ageBands)[number];

export const rehabServices = [
  'hearing-aid-fitting',
  'cochlear-implant-rehab',
  'speech-training',
  'physical-therapy',
  'occupational-therapy',
  'orthotics',
  'cognitive-training',
  'behavioural-intervention',
  'low-vision-aids',
  'orientation-mobility',
] as const;

export interface RehabInstitution {
  id: string;
  name: I18nText;
  township: string;
  categories: DisabilityCategory[];
  /** ages served, in whole years, inclusive */
  ages: [number, number];
}

export const rehabInstitutions: RehabInstitution[] = [
  {
    id: 'yq-rehab-center',
    name: t('乐清市残疾人康复中心', 'Yueqing Rehabilitation Centre for Persons with Disabilities'),
    township: 'lecheng',
    categories: ['hearing', 'speech', 'physical', 'intellectual', 'autism'],
    ages: [0, 17],
  },
  {
    id: 'yq-mch-rehab',
    name: t(
      '乐清市妇幼保健院儿童康复科',
      'Yueqing Maternal and Child Health Hospital, paediatric rehabilitation',
    ),
    township: 'chengdong',
    categories: ['hearing', 'speech', 'physical', 'intellectual', 'autism'],
    ages: [0, 6],
  },
  {
    id: 'yq-special-school',
    name: t('乐清市特殊教育学校康复部', 'Yueqing Special Education School, rehabilitation department'),
    township: 'chengnan',
    categories: ['vision', 'hearing', 'intellectual', 'autism'],
    ages: [3, 17],
  },
  {
    id: 'liushi-xingyu',
    name: t('柳市镇星语儿童康复中心', 'Liushi Xingyu Children’s Rehabilitation Centre'),
    township: 'liushi',
    categories: ['autism', 'speech', 'intellectual'],
    ages: [0, 14],
  },
  {
    id: 'hongqiao-rehab',
    name: t('虹桥镇残疾儿童康复站', 'Hongqiao Rehabilitation Station for Disabled Children'),
    township: 'hongqiao',
    categories: ['physical', 'intellectual'],
    ages: [0, 17],
  },
  {
    id: 'yq-people-low-vision',
    name: t('乐清市人民医院低视力康复门诊', 'Yueqing People’s Hospital, low-vision clinic'),
    township: 'lecheng',
    categories: ['vision'],
    ages: [0, 17],
  },
];

/** An institution id: also the suffix of its staff's agency, `rehab-institution:<id>`. */
export const INSTITUTION_ID = /^[a-z0-9][a-z0-9-]{1,39}$/;

/** The kernel's organisation type of designated institutions (records `ORG#<id>`). */
export const INSTITUTION_ORG_TYPE = 'rehab-institution';

/**
 * A designated institution as admins maintain it: what it serves, from and until when it is
 * designated, and whether it is suspended. Every change is a new version (the history is kept).
 * The seed institutions are version 0 until an admin first changes them.
 */
export interface InstitutionRecord extends RehabInstitution {
  status: 'active' | 'suspended';
  /** designated from (China date, YYYY-MM-DD) */
  effectiveFrom: string;
  /** designated until (inclusive), if the designation ends */
  effectiveTo?: string | undefined;
  suspendedReason?: string | undefined;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export const seedInstitutionRecords: InstitutionRecord[] = rehabInstitutions.map((i) => ({
  ...i,
  status: 'active',
  effectiveFrom: '2020-01-01',
  version: 0,
  updatedAt: '2024-12-01T00:00:00.000Z',
  updatedBy: 'seed',
}));

/** A seed institution (names for e-mails and the seed list; admins' records are in the store). */
export const findInstitution = (id: string) => rehabInstitutions.find((i) => i.id === id);

/** Families may choose it on this China date: designated then and not suspended. */
export const institutionAvailable = (i: InstitutionRecord, date: string): boolean =>
  i.status === 'active' && i.effectiveFrom <= date && (i.effectiveTo === undefined || date <= i.effectiveTo);

export function institutionServes(
  inst: RehabInstitution,
  category: DisabilityCategory,
  age: number,
): boolean {
  return inst.categories.includes(category) && age >= inst.ages[0] && age <= inst.ages[1];
}

/** Hospitals whose diagnosis is accepted in place of a 残疾人证 (二级及以上, with paediatrics). */
export const diagnosisHospitals: Array<{ id: string; name: I18nText }> = [
  { id: 'yq-people', name: t('乐清市人民医院', 'Yueqing People’s Hospital') },
  { id: 'yq-mch', name: t('乐清市妇幼保健院', 'Yueqing Maternal and Child Health Hospital') },
  {
    id: 'wz-yuying',
    name: t('温州医科大学附属第二医院（育英儿童医院）', 'Yuying Children’s Hospital, Wenzhou'),
  },
  { id: 'wz-eye', name: t('温州医科大学附属眼视光医院', 'Eye Hospital of Wenzhou Medical University') },
  { id: 'wz-people', name: t('温州市人民医院', 'Wenzhou People’s Hospital') },
  { id: 'zj-children', name: t('浙江大学医学院附属儿童医院', 'Children’s Hospital, Zhejiang University') },
];
export const isDiagnosisHospital = (id: string) => diagnosisHospitals.some((h) => h.id === id);

/**
 * One-off items beside monthly training (国发〔2018〕20号: 手术、辅助器具适配): each has its own
 * cap per child and aid year in the standard, may be claimed once a year, and is never held to
 * the monthly or the training's yearly cap (a hearing aid costs more than a month of training).
 */
export const oneOffItems = [
  'cochlear-implant',
  'hearing-aid',
  'corrective-surgery',
  'wheelchair',
  'orthosis',
  'low-vision-aid',
] as const;
export type OneOffItem = (typeof oneOffItems)[number];

export const oneOffItemInfo: Record<
  OneOffItem,
  { name: I18nText; kind: 'surgery' | 'device'; categories: DisabilityCategory[] }
> = {
  'cochlear-implant': {
    name: t('人工耳蜗植入（手术及产品）', 'Cochlear implant (surgery and device)'),
    kind: 'surgery',
    categories: ['hearing'],
  },
  'hearing-aid': { name: t('助听器', 'Hearing aids'), kind: 'device', categories: ['hearing', 'speech'] },
  'corrective-surgery': {
    name: t('肢体矫治手术', 'Corrective limb surgery'),
    kind: 'surgery',
    categories: ['physical'],
  },
  wheelchair: { name: t('轮椅', 'Wheelchair'), kind: 'device', categories: ['physical', 'intellectual'] },
  orthosis: { name: t('矫形器', 'Orthosis'), kind: 'device', categories: ['physical'] },
  'low-vision-aid': { name: t('助视器', 'Low-vision aid'), kind: 'device', categories: ['vision'] },
};

export const itemServes = (item: OneOffItem, category: DisabilityCategory): boolean =>
  oneOffItemInfo[item].categories.includes(category);

/** Caps of the one-off items, integer fen per child and aid year. */
export type ItemCaps = Record<OneOffItem, number>;

export interface CapPair {
  monthlyCapFen: number;
  yearlyCapFen: number;
}
export type StandardAmounts = Record<DisabilityCategory, Record<AgeBand, CapPair>>;

export interface AidStandard {
  year: number;
  /** 1, 2, …: every admin change is a new version; a version never changes once published */
  version: number;
  /** `<year>.<version>`, recorded in each approval's outputs */
  id: string;
  amounts: StandardAmounts;
  /** one-off items' caps; a version stored before items existed has none (the seed's apply) */
  items?: ItemCaps | undefined;
  publishedAt: string;
  publishedBy: string;
}

const yuan = (monthly: number, yearly: number): CapPair => ({
  monthlyCapFen: monthly * 100,
  yearlyCapFen: yearly * 100,
});

/** 0–6 (抢救性康复) is funded higher than 7–17. */
const seedAmounts: StandardAmounts = {
  vision: { '0-6': yuan(1500, 12000), '7-17': yuan(1000, 8000) },
  hearing: { '0-6': yuan(2400, 24000), '7-17': yuan(1600, 14000) },
  speech: { '0-6': yuan(2000, 18000), '7-17': yuan(1400, 12000) },
  physical: { '0-6': yuan(2200, 20000), '7-17': yuan(1600, 14000) },
  intellectual: { '0-6': yuan(2200, 20000), '7-17': yuan(1600, 14000) },
  autism: { '0-6': yuan(2600, 24000), '7-17': yuan(1800, 16000) },
};

export const seedItemCaps: ItemCaps = {
  'cochlear-implant': 6_000_000,
  'hearing-aid': 600_000,
  'corrective-surgery': 2_000_000,
  wheelchair: 300_000,
  orthosis: 500_000,
  'low-vision-aid': 150_000,
};

/** Version 1 of each year's standard. Never edit a published year here: publish a new version. */
export const seedStandards: AidStandard[] = [2025, 2026, 2027].map((year) => ({
  year,
  version: 1,
  id: `${year}.1`,
  amounts: seedAmounts,
  items: seedItemCaps,
  publishedAt: `${year - 1}-12-01T00:00:00.000Z`,
  publishedBy: 'seed',
}));
