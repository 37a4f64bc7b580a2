/**
 * E-mail texts for the parent, zh-CN first with English, per event type. They name the
 * application and steps, never ID numbers or other form contents.
 */

import type { Application, DomainEvent, EventType, ServiceDefinition } from '../engine/types.ts';
import type { ServiceMail } from '../module.ts';
import type { SmsContent } from '../ports.ts';

export interface MailMessage {
  subject: string;
  text: string;
}

export const NOTIFIED_EVENTS: ReadonlySet<EventType> = new Set([
  'submitted',
  'step-approved',
  'step-rejected',
  'info-requested',
  'completed',
  'partially-completed',
  'rejected',
]);

/** The events that end a case: their messages invite the family to rate it (好差评). */
export const ENDING_EVENTS: ReadonlySet<string> = new Set(['completed', 'partially-completed', 'rejected']);

export function shouldNotify(event: DomainEvent): boolean {
  // The parent must act (e.g. accept an offered place by a deadline); a wait or a lapse is news.
  if (event.type === 'step-opened') {
    const kind = (event.data as { kind?: string } | undefined)?.kind;
    return kind === 'applicant' || kind === 'timer';
  }
  if (event.type === 'step-interrupted') return true;
  if (event.type === 'step-waiting' || event.type === 'step-expired') return true;
  if (!NOTIFIED_EVENTS.has(event.type)) return false;
  // Automatic pre-check passes are not news; its rejection is reported by the `rejected` mail.
  return !(event.data as { auto?: boolean } | undefined)?.auto;
}

export function renderMail(
  def: ServiceDefinition,
  app: Application,
  event: DomainEvent,
  consoleUrl: string,
  /**
   * The service's own mail lines for the event (its module's mail.ts), e.g. an offered place and
   * its deadline; undefined falls back to the generic texts. `body` continues the sentence
   * "您的申请「…」（编号 …）" / "Your application "…" (…)".
   */
  own?: ServiceMail,
): MailMessage {
  const step = event.step ? def.steps[event.step] : undefined;
  const stepZh = step?.title['zh-CN'] ?? '';
  const stepEn = step?.title.en ?? '';
  const link = `${consoleUrl}/parent/applications/${app.id}`;
  const [zh, en] = own?.(event, app) ?? lines(event, stepZh, stepEn, app);
  const subjectZh = `【乐清 Onestop】${def.title['zh-CN']}：${zh.title}`;
  const subjectEn = `${def.title.en}: ${en.title}`;
  const text = [
    `您好：`,
    ``,
    `您的申请「${app.label}」（编号 ${app.id}）${zh.body}`,
    `查看进度：${link}`,
    ...(ENDING_EVENTS.has(event.type)
      ? [`请对本次办理进行评价（非常满意/满意/基本满意/不满意/非常不满意）：${link}#rating`]
      : []),
    ``,
    `——`,
    ``,
    `Hello,`,
    ``,
    `Your application "${app.label}" (${app.id}) ${en.body}`,
    `Track it here: ${link}`,
    ...(ENDING_EVENTS.has(event.type) ? [`Please rate how it was handled: ${link}#rating`] : []),
    ``,
    `乐清市 Onestop 一网通办 · 此邮件由系统自动发送，请勿回复。This message was sent automatically; please do not reply.`,
  ].join('\n');
  return { subject: wellFormed(`${subjectZh} | ${subjectEn}`), text: wellFormed(text) };
}

/**
 * The SMS for an event: one short zh-CN line (an SMS carries 70 Chinese characters per part;
 * this stays within about two) with the application number and a link to the console. It names
 * the service and the step only: no name, ID number or form contents, nor a step's outputs or
 * reason codes (an SMS may be read on a shared or lost phone).
 */
export function renderSms(
  def: ServiceDefinition,
  app: Application,
  event: DomainEvent,
  consoleUrl: string,
  own?: ServiceMail,
): string {
  const step = event.step ? def.steps[event.step] : undefined;
  const stepZh = step?.title['zh-CN'] ?? '';
  const [zh] = own?.(event, app) ?? lines(event, stepZh, step?.title.en ?? '', app);
  const link = `${consoleUrl}/parent/applications/${app.id}`;
  return wellFormed(
    `【乐清Onestop】您的${def.title['zh-CN']}申请（编号${app.id}）：${zh.title}。${ENDING_EVENTS.has(event.type) ? '详情及评价' : '详情'}：${link}`,
  );
}

/** The same SMS as parts, for providers that send registered templates only (ports.ts SmsContent). */
export function smsContent(
  def: ServiceDefinition,
  app: Application,
  event: DomainEvent,
  own?: ServiceMail,
): SmsContent {
  const step = event.step ? def.steps[event.step] : undefined;
  const stepZh = step?.title['zh-CN'] ?? '';
  const [zh] = own?.(event, app) ?? lines(event, stepZh, step?.title.en ?? '', app);
  return {
    kind: 'status',
    service: wellFormed(def.title['zh-CN']),
    applicationNumber: app.id,
    status: wellFormed(zh.title),
  };
}

/**
 * Text stored before the text policy may hold an unpaired surrogate, which no e-mail can carry
 * (the SDK cannot even serialise it): it becomes U+FFFD so the family still gets its e-mail.
 */
const wellFormed = (s: string): string => s.replace(/\p{Cs}/gu, '\uFFFD');

interface Line {
  title: string;
  body: string;
}

function lines(event: DomainEvent, stepZh: string, stepEn: string, app: Application): [Line, Line] {
  const outputs = event.step ? app.steps[event.step]?.outputs : undefined;
  const outputText = outputs ? Object.values(outputs).join(', ') : '';
  switch (event.type) {
    case 'submitted':
      return [
        { title: '已受理', body: '已提交，各部门将依次办理。' },
        { title: 'received', body: 'has been received; each agency will now handle its part.' },
      ];
    case 'step-approved':
      return [
        { title: `${stepZh}已办结`, body: `的「${stepZh}」已办结${outputText ? `（${outputText}）` : ''}。` },
        {
          title: `${stepEn} issued`,
          body: `: ${stepEn} has been issued${outputText ? ` (${outputText})` : ''}.`,
        },
      ];
    case 'step-rejected':
      return [
        {
          title: `${stepZh}未通过`,
          body: `的「${stepZh}」未通过（原因代码 ${event.reason ?? ''}）。其他事项照常办理。`,
        },
        {
          title: `${stepEn} refused`,
          body: `: ${stepEn} was refused (reason ${event.reason ?? ''}). Other items continue.`,
        },
      ];
    case 'info-requested':
      return [
        {
          title: '需要补正材料',
          body: `需要您补正信息（${stepZh}）。请登录后修改标注的字段并重新提交；补正期间办理时限暂停计算。`,
        },
        {
          title: 'more information needed',
          body: `needs more information (${stepEn}). Sign in, correct the marked fields and resubmit; the time limit pauses meanwhile.`,
        },
      ];
    case 'step-opened': {
      const due = (event.data as { dueAt?: string } | undefined)?.dueAt;
      const dueZh = due ? chinaTime(due) : '';
      if ((event.data as { kind?: string } | undefined)?.kind === 'timer') {
        return [
          {
            title: `${stepZh}开始`,
            body: `的「${stepZh}」已开始${due ? `，至 ${dueZh}（北京时间）结束` : ''}。`,
          },
          {
            title: `${stepEn} started`,
            body: `: ${stepEn} has started${due ? ` and ends ${dueZh} (China time)` : ''}.`,
          },
        ];
      }
      return [
        {
          title: `请答复：${stepZh}`,
          body: `需要您答复「${stepZh}」${due ? `，请在 ${dueZh}（北京时间）前登录办理` : ''}。`,
        },
        {
          title: `your answer is needed: ${stepEn}`,
          body: ` needs your answer (${stepEn})${due ? ` by ${dueZh} (China time)` : ''}. Please sign in to respond.`,
        },
      ];
    }
    case 'step-waiting':
      return [
        { title: '正在排队等候', body: '正在排队等候，排位可登录查看，有结果时将再通知您。' },
        {
          title: 'waiting in line',
          body: ' is waiting in line; sign in to see its position. We will write again when it moves on.',
        },
      ];
    case 'step-interrupted':
      return [
        { title: `${stepZh}暂停复核`, body: `的「${stepZh}」收到异议，已转入复核，结果将另行通知。` },
        {
          title: `${stepEn} under review`,
          body: `: ${stepEn} received an objection and is under review; we will write with the result.`,
        },
      ];
    case 'step-expired':
      return [
        { title: `${stepZh}已过期`, body: `的「${stepZh}」未在期限内答复，已过期。` },
        { title: `${stepEn} expired`, body: `: ${stepEn} was not answered in time and has expired.` },
      ];
    case 'completed':
      return [
        { title: '全部办结', body: '已全部办结。' },
        { title: 'completed', body: 'is complete.' },
      ];
    case 'partially-completed':
      return [
        { title: '部分办结', body: '已办结，其中部分事项未通过，详情请查看进度。' },
        { title: 'partly completed', body: 'is settled; some items were refused. See the details online.' },
      ];
    default:
      return [
        { title: '未通过', body: '未通过审核，详情请查看进度。' },
        { title: 'not approved', body: 'was not approved. See the details online.' },
      ];
  }
}

/** An instant as China time, YYYY-MM-DD HH:mm. */
function chinaTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}
