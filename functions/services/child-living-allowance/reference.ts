/**
 * Reference data of 事实无人抚养儿童基本生活保障 (民发〔2019〕62号): the parents' situations that
 * qualify, the carers who may apply, and the seed monthly standard per year (an admin publishes
 * later versions through the API; the seed is illustrative, the city sets the real figure, which
 * follows the standard for children in scattered care 散居孤儿).
 */
import { type I18nText, t } from '#core/i18n';

/** A parent who has died or is gone for good in law (死亡, 宣告死亡, 宣告失踪). */
export const absentConditions = ['deceased', 'declared-dead', 'declared-missing'] as const;
/** A living parent who cannot care for the child (62号 第二条). */
export const unableConditions = [
  'severe-disability',
  'serious-illness',
  'imprisoned',
  'compulsory-isolation',
  'restricted-liberty',
  'lost-contact',
  'deported',
] as const;
/** A parent who can care for the child: the child does not qualify. */
export const parentConditions = [...absentConditions, ...unableConditions, 'able'] as const;
export type ParentCondition = (typeof parentConditions)[number];

export const conditionNames: Record<ParentCondition, I18nText> = {
  deceased: t('死亡', 'Deceased'),
  'declared-dead': t('被宣告死亡', 'Declared dead'),
  'declared-missing': t('被宣告失踪', 'Declared missing'),
  'severe-disability': t('重残（一、二级残疾或三、四级精神、智力残疾）', 'Severe disability'),
  'serious-illness': t('重病', 'Serious illness'),
  imprisoned: t('服刑在押', 'Serving a prison sentence'),
  'compulsory-isolation': t('强制隔离戒毒', 'Compulsory isolated drug treatment'),
  'restricted-liberty': t('被执行其他限制人身自由的措施', 'Other restriction of personal liberty'),
  'lost-contact': t('失联（下落不明超过6个月）', 'Whereabouts unknown for over 6 months'),
  deported: t('被遣送（驱逐）出境', 'Deported'),
  able: t('有抚养能力', 'Able to care for the child'),
};

export const isAbsent = (c: ParentCondition) => (absentConditions as readonly string[]).includes(c);
export const isUnable = (c: ParentCondition) => (unableConditions as readonly string[]).includes(c);

/** The evidence a family uploads (the kernel's case documents): each parent's situation, the household. */
export const documentKinds = ['father-evidence', 'mother-evidence', 'household-register', 'other'] as const;

/** Whom the child lives with (the actual carer, 实际抚养人). */
export const carerRelationships = ['grandparent', 'sibling', 'other-relative', 'other'] as const;
/** The household situation the home visit verifies. */
export const householdSituations = ['with-grandparents', 'with-relatives', 'with-others', 'alone'] as const;

/** Why an allowance ends (payments stop from the month after the effective date). */
export const endReasons = ['age-18', 'condition-changed', 'adopted', 'died', 'other'] as const;
export type EndReason = (typeof endReasons)[number];
export const endReasonNames: Record<EndReason, I18nText> = {
  'age-18': t('年满18周岁', 'Turned 18'),
  'condition-changed': t('父母情况变化，不再符合条件', "The parents' situation changed; no longer eligible"),
  adopted: t('被依法收养', 'Adopted'),
  died: t('儿童死亡', 'The child died'),
  other: t('其他原因', 'Other reason'),
};

export interface LivingStandard {
  /** `<year>.<version>` */
  id: string;
  year: number;
  version: number;
  monthlyFen: number;
  publishedAt: string;
  publishedBy: string;
}

/** Version 1 of each year, used until an admin publishes another. */
export const seedMonthlyFen: Record<number, number> = { 2025: 205_000, 2026: 213_000, 2027: 213_000 };

export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
