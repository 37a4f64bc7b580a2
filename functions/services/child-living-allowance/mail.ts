/**
 * E-mail lines for the family of a child without caregivers: each step of the review chain, the
 * public notice, the confirmation with the monthly amount, every payment, the annual review, the
 * notice before the 18th birthday and the end. Amounts are shown in yuan with a label, never in
 * fen; never an ID number or a bank account.
 */
import type { Application, DomainEvent, MailLine } from '#core/engine/types';
import type { ServiceMail } from '#core/module';
import { type EndReason, endReasonNames, yuan } from '#services/child-living-allowance/reference';

const chinaTime = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

type Pair = [MailLine, MailLine];

export const mail: ServiceMail = (event: DomainEvent, app: Application): Pair | undefined => {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const type: string = event.type;
  switch (type) {
    case 'submitted':
      return [
        { title: '已受理', body: '已提交。乡镇（街道）将在15个工作日内入户调查核实，结果将另行通知。' },
        {
          title: 'received',
          body: 'has been received. The township will visit the home within 15 working days to verify it.',
        },
      ];
    case 'step-approved':
      if (event.step === 'township-review') {
        return [
          { title: '入户调查审核通过', body: '已通过乡镇（街道）入户调查审核，将在村（居）公示7天。' },
          {
            title: 'township review passed',
            body: 'passed the township review with the home visit; it will now be publicly noticed for 7 days.',
          },
        ];
      }
      if (event.step === 'public-notice') {
        return [
          { title: '公示期满', body: '公示期满（无异议或异议不成立），已报市民政局确认。' },
          {
            title: 'public notice ended',
            body: 'completed its public notice without an upheld objection and goes to the city civil-affairs bureau.',
          },
        ];
      }
      if (event.step === 'city-confirmation') {
        const o = app.steps['city-confirmation']?.outputs ?? {};
        const fen = Number(o.monthlyFen ?? 0);
        return [
          {
            title: '市民政局已确认',
            body: `已经市民政局确认。每月基本生活费：${yuan(fen)}（标准 ${String(o.standardVersion ?? '')}），自 ${String(o.startMonth ?? '')} 起按月发放至抚养人账户。`,
          },
          {
            title: 'confirmed by the city',
            body: `has been confirmed by the city civil-affairs bureau. Monthly allowance: ${yuan(fen)} (standard ${String(o.standardVersion ?? '')}), paid monthly into the carer's account from ${String(o.startMonth ?? '')}.`,
          },
        ];
      }
      return undefined;
    case 'step-opened':
      if (event.step === 'public-notice') {
        const due = chinaTime(String(data.dueAt ?? ''));
        return [
          { title: '开始公示', body: `已在村（居）公示，公示期至 ${due}（北京时间）。` },
          {
            title: 'public notice started',
            body: ` is publicly noticed in the village until ${due} (China time).`,
          },
        ];
      }
      return undefined;
    case 'step-interrupted':
      return [
        {
          title: '公示期间收到异议',
          body: '在公示期间收到异议，乡镇（街道）将在5个工作日内复核，结果将另行通知。',
        },
        {
          title: 'objection received',
          body: 'received an objection during the public notice; the township will review it within 5 working days.',
        },
      ];
    case 'completed':
      return [
        { title: '保障已确认', body: '已办结，基本生活保障按月发放，每年复核一次。' },
        {
          title: 'allowance confirmed',
          body: 'is complete; the allowance is paid monthly and reviewed every year.',
        },
      ];
    case 'allowance-paid': {
      const fen = Number(data.amountFen ?? 0);
      return [
        {
          title: `${String(data.month)} 基本生活费已发放`,
          body: `的 ${String(data.month)} 月基本生活费已发放：金额 ${yuan(fen)}。`,
        },
        {
          title: `allowance for ${String(data.month)} paid`,
          body: `: the allowance for ${String(data.month)} has been paid: amount ${yuan(fen)}.`,
        },
      ];
    }
    case 'annual-review-opened':
      return [
        {
          title: '年度复核',
          body: `需要进行年度复核，乡镇（街道）工作人员将联系您，复核期限至 ${chinaTime(String(data.dueAt ?? ''))}（北京时间）。`,
        },
        {
          title: 'annual review',
          body: ` is due for its annual review; the township will contact you. The review is due by ${chinaTime(String(data.dueAt ?? ''))} (China time).`,
        },
      ];
    case 'annual-review-completed':
      return [
        { title: '年度复核通过', body: '已通过年度复核，保障继续发放。' },
        { title: 'annual review passed', body: 'passed its annual review; the allowance continues.' },
      ];
    case 'termination-notice':
      return [
        {
          title: '保障即将终止',
          body: `的儿童将于 ${String(data.effectiveDate)} 年满18周岁，基本生活保障发放至 ${String(data.lastMonth)} 月，之后终止。`,
        },
        {
          title: 'allowance ending soon',
          body: `: the child turns 18 on ${String(data.effectiveDate)}; the allowance is paid through ${String(data.lastMonth)} and then ends.`,
        },
      ];
    case 'allowance-terminated': {
      const reason = endReasonNames[data.endReason as EndReason] ?? { 'zh-CN': '', en: '' };
      return [
        {
          title: '保障已终止',
          body: `的基本生活保障已终止（原因：${reason['zh-CN']}），发放至 ${String(data.endMonth)} 月，自 ${String(data.stopsFrom)} 起停发。`,
        },
        {
          title: 'allowance ended',
          body: `: the allowance has ended (reason: ${reason.en}); it is paid through ${String(data.endMonth)} and stops from ${String(data.stopsFrom)}.`,
        },
      ];
    }
    default:
      return undefined;
  }
};
