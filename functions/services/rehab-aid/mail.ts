/**
 * E-mail lines for rehab aid: each decision with its outputs labelled, the approved standard's
 * caps and every amount in yuan (¥2,400.00, never raw fen), the plan created at the chosen
 * institution, each claim approved or refused, and a warning when the year's budget runs low.
 * Never an ID number or a name beyond the case's masked label.
 */
import type { Application, DomainEvent, MailLine } from '../../core/engine/types.ts';
import type { I18nText } from '../../core/i18n.ts';
import type { ServiceMail } from '../../core/module.ts';
import { findInstitution, type OneOffItem, oneOffItemInfo } from './reference.ts';

/** The family is warned when less than this share of the yearly cap is left. */
export const LOW_BUDGET_SHARE = 0.2;

/** Integer fen as yuan: 240000 → ¥2,400.00. */
export const yuan = (fen: number): string =>
  `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const situations: Record<string, I18nText> = {
  dibao: { 'zh-CN': '最低生活保障家庭', en: 'minimum living allowance (低保)' },
  tekun: { 'zh-CN': '特困供养', en: 'extreme poverty support (特困)' },
  other: { 'zh-CN': '其他', en: 'other' },
};
const levels: Record<string, I18nText> = {
  mild: { 'zh-CN': '轻度', en: 'mild' },
  moderate: { 'zh-CN': '中度', en: 'moderate' },
  severe: { 'zh-CN': '重度', en: 'severe' },
  profound: { 'zh-CN': '极重度', en: 'profound' },
};
const claimReasons: Record<string, I18nText> = {
  'sessions-not-verified': { 'zh-CN': '服务记录无法核实', en: 'the sessions cannot be verified' },
  'amount-incorrect': { 'zh-CN': '金额与服务记录不符', en: 'the amount does not match the sessions' },
  'outside-plan': { 'zh-CN': '不在救助方案范围内', en: 'not covered by the approved plan' },
  duplicate: { 'zh-CN': '重复申报', en: 'claimed twice' },
  other: { 'zh-CN': '其他原因', en: 'another reason' },
};

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const pick = (table: Record<string, I18nText>, key: unknown): I18nText =>
  table[String(key)] ?? { 'zh-CN': String(key ?? ''), en: String(key ?? '') };

function approvedStep(event: DomainEvent, app: Application): [MailLine, MailLine] | undefined {
  const o = (event.step ? app.steps[event.step]?.outputs : undefined) ?? {};
  switch (event.step) {
    case 'township-review': {
      const s = pick(situations, o.familySituation);
      return [
        {
          title: '乡镇初审通过',
          body: `已通过乡镇（街道）残联初审（家庭情况：${s['zh-CN']}），转市残联审核。`,
        },
        {
          title: 'township review passed',
          body: ` passed the township review (family situation: ${s.en}) and goes to the city DPF.`,
        },
      ];
    }
    case 'city-review':
      return [
        { title: '市残联审核通过', body: '已通过市残联审核，请按通知带儿童到定点康复机构评估。' },
        {
          title: 'city review passed',
          body: ' passed the city review; please take the child to the designated institution for assessment.',
        },
      ];
    case 'assessment': {
      const l = pick(levels, o.assessedLevel);
      return [
        {
          title: '机构评估完成',
          body: `已完成定点康复机构评估（评估等级：${l['zh-CN']}；每月训练 ${num(o.sessionsPerMonth)} 次），等待市残联审批。`,
        },
        {
          title: 'assessment done',
          body: ` was assessed by the designated institution (level: ${l.en}; ${num(o.sessionsPerMonth)} sessions a month) and awaits the city's approval.`,
        },
      ];
    }
    case 'approval':
      return [
        {
          title: '康复救助已批准',
          body: `已批准康复救助（救助标准 ${String(o.standardVersion ?? '')}：每月救助上限 ${yuan(num(o.monthlyCapFen))}，年度救助上限 ${yuan(num(o.yearlyCapFen))}）。请登录选择定点康复机构，建立救助方案。`,
        },
        {
          title: 'rehabilitation aid approved',
          body: ` is approved (aid standard ${String(o.standardVersion ?? '')}: monthly cap ${yuan(num(o.monthlyCapFen))}, yearly cap ${yuan(num(o.yearlyCapFen))}). Sign in to choose the designated institution and set up the aid plan.`,
        },
      ];
    default:
      return undefined;
  }
}

export const mail: ServiceMail = (event, app) => {
  const d = (event.data ?? {}) as Record<string, unknown>;
  // kernel event types and this module's own (RehabEventType)
  switch (event.type as string) {
    case 'step-approved':
      return approvedStep(event, app);
    case 'institution-chosen': {
      const inst = findInstitution(String(d.institution));
      const name = inst?.name ?? { 'zh-CN': String(d.institution), en: String(d.institution) };
      return [
        {
          title: '救助方案已建立',
          body: `的 ${String(d.year)} 年度救助方案已建立：定点康复机构 ${name['zh-CN']}，每月救助上限 ${yuan(num(d.monthlyCapFen))}，年度救助上限 ${yuan(num(d.yearlyCapFen))}。康复费用由市残联与机构直接结算。`,
        },
        {
          title: 'aid plan set up',
          body: `: the ${String(d.year)} aid plan is set up at ${name.en}, monthly cap ${yuan(num(d.monthlyCapFen))}, yearly cap ${yuan(num(d.yearlyCapFen))}. The city pays the institution directly.`,
        },
      ];
    }
    case 'claim-approved': {
      if (d.item) {
        const name = oneOffItemInfo[d.item as OneOffItem]?.name ?? {
          'zh-CN': String(d.item),
          en: String(d.item),
        };
        return [
          {
            title: `${name['zh-CN']}费用已核准`,
            body: `：康复机构申报的${name['zh-CN']}费用已核准 ${yuan(num(d.approvedFen))}（该项目年度上限 ${yuan(num(d.itemCapFen))}，每年一次，不占用每月康复训练额度）。`,
          },
          {
            title: `${name.en} approved`,
            body: `: the institution's claim for ${name.en} was approved at ${yuan(num(d.approvedFen))} (item cap ${yuan(num(d.itemCapFen))}, once a year, outside the monthly training budget).`,
          },
        ];
      }
      const cap = num(d.yearlyCapFen);
      const total = num(d.approvedTotalFen);
      const left = Math.max(0, cap - total);
      const low = cap > 0 && left < cap * LOW_BUDGET_SHARE;
      return [
        {
          title: low ? '康复费用已核准（年度额度即将用完）' : '康复费用已核准',
          body: `：康复机构申报的 ${String(d.month)} 康复服务费已核准 ${yuan(num(d.approvedFen))}。本年度已核准合计 ${yuan(total)}，年度救助上限 ${yuan(cap)}，剩余额度 ${yuan(left)}。${low ? '年度额度即将用完，超出部分需自行承担，请与机构商量后续安排。' : ''}`,
        },
        {
          title: low ? 'claim approved (yearly budget running low)' : 'claim approved',
          body: `: the institution's claim for ${String(d.month)} was approved at ${yuan(num(d.approvedFen))}. Approved this year: ${yuan(total)} of the yearly cap ${yuan(cap)}; left: ${yuan(left)}.${low ? ' The yearly budget is running low; anything beyond it is not covered, so plan the rest with the institution.' : ''}`,
        },
      ];
    }
    case 'claim-rejected': {
      const r = pick(claimReasons, d.reason);
      const item = d.item ? oneOffItemInfo[d.item as OneOffItem]?.name : undefined;
      const what = item ?? { 'zh-CN': `${String(d.month)} 康复服务费`, en: String(d.month) };
      return [
        {
          title: '康复费用申报未通过',
          body: `：康复机构申报的${what['zh-CN']} ${yuan(num(d.amountFen))} 未通过审核（原因：${r['zh-CN']}），不计入本年度救助额度。`,
        },
        {
          title: 'claim refused',
          body: `: the institution's claim for ${what.en} of ${yuan(num(d.amountFen))} was refused (${r.en}); it does not count against this year's budget.`,
        },
      ];
    }
    default:
      return undefined;
  }
};
