/**
 * E-mail lines for childcare-place registrations: the offer (with its deadline), the waitlist,
 * acceptance, decline, expiry, the nursery's decision. Never the child's ID number.
 */
import { className } from '#services/childcare-slot/classes';
import type { Application, DomainEvent, MailLine } from '../../core/engine/types.ts';
import type { I18nText } from '../../core/i18n.ts';
import type { ServiceMail } from '../../core/module.ts';

const chinaTime = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

function placeOf(app: Application): { zh: string; en: string } {
  const o = app.steps.allocate?.outputs ?? {};
  const name = o.nurseryName as I18nText | undefined;
  const cls = className(String(o.class ?? ''));
  return {
    zh: `${name?.['zh-CN'] ?? o.nurseryId ?? ''}${cls['zh-CN']}（${o.term ?? ''} 学期）`,
    en: `${cls.en} at ${name?.en ?? o.nurseryId ?? ''} (term ${o.term ?? ''})`,
  };
}

export function childcareMail(event: DomainEvent, app: Application): [MailLine, MailLine] | undefined {
  const place = placeOf(app);
  switch (event.type) {
    case 'submitted':
      return [
        { title: '已受理', body: '已受理，系统正在按您填报的志愿分配托位，结果将另行通知。' },
        {
          title: 'received',
          body: ' has been received; a place is being allocated from your preferences and we will write with the result.',
        },
      ];
    case 'step-opened': {
      if (event.step !== 'offer') return undefined;
      const due = chinaTime(String((event.data as { dueAt?: string } | undefined)?.dueAt ?? ''));
      return [
        {
          title: '获得托位，请确认',
          body: `已获得托位：${place.zh}。请在 ${due}（北京时间）前登录接受或放弃；逾期未答复视为放弃，名额将转给候补家庭。`,
        },
        {
          title: 'a place is offered',
          body: ` has been offered a place: ${place.en}. Please accept or decline by ${due} (China time); without an answer the offer lapses and the place goes to the waitlist.`,
        },
      ];
    }
    case 'step-waiting': {
      const pending = event.reason === 'round-pending';
      return pending
        ? [
            {
              title: '已登记，等待摇号分配',
              body: '已登记。所选托育机构按批次分配：报名截止后按优先条件和公开摇号排序分配，结果将另行通知。',
            },
            {
              title: 'registered for the draw',
              body: ' is registered. The chosen nurseries allocate places in a round: after the deadline, by priority and then a public lottery. We will write with the result.',
            },
          ]
        : [
            {
              title: '已进入候补名单',
              body: '暂无空余托位，已进入所选托育机构的候补名单。当前排位可登录查看；有名额空出时将按顺序递补并通知您。',
            },
            {
              title: 'on the waitlist',
              body: ' is on the waitlist of the chosen nurseries, as no place is free now. Sign in to see your position; when a place frees up it is offered in order and we will write to you.',
            },
          ];
    }
    case 'step-approved':
      if (event.step === 'offer') {
        return [
          { title: '已接受托位', body: `已接受托位：${place.zh}。托育机构将核验材料并确认入托。` },
          {
            title: 'place accepted',
            body: ` accepted the place: ${place.en}. The nursery will check the documents and confirm enrolment.`,
          },
        ];
      }
      return undefined;
    case 'step-rejected':
      if (event.step === 'offer') {
        return [
          { title: '已放弃托位', body: `已放弃托位：${place.zh}。名额已释放给候补家庭。` },
          {
            title: 'place declined',
            body: ` declined the place: ${place.en}. It goes to the next family on the waitlist.`,
          },
        ];
      }
      if (event.step === 'enrolment') {
        return [
          {
            title: '入托未确认',
            body: `的入托未获托育机构确认（原因代码 ${event.reason ?? ''}），名额已释放。如有疑问请联系该托育机构。`,
          },
          {
            title: 'enrolment refused',
            body: `: the nursery did not confirm enrolment (reason ${event.reason ?? ''}); the place was released. Please contact the nursery with questions.`,
          },
        ];
      }
      return undefined;
    case 'step-expired':
      return [
        {
          title: '托位录取已过期',
          body: `的托位录取（${place.zh}）未在期限内确认，已过期，名额已转给候补家庭。`,
        },
        {
          title: 'offer expired',
          body: `: the offered place (${place.en}) was not accepted in time and has lapsed; it goes to the waitlist.`,
        },
      ];
    case 'completed':
      return [
        { title: '入托已确认', body: `已办结：${place.zh}已确认入托。` },
        { title: 'enrolment confirmed', body: ` is complete: enrolment confirmed, ${place.en}.` },
      ];
    case 'rejected':
      return [
        { title: '托位登记已结束', body: '已结束，未获得托位。如需继续等候托位，可重新登记。' },
        {
          title: 'registration closed',
          body: ' has closed without a place. You may register again to keep waiting.',
        },
      ];
    default:
      return undefined;
  }
}

/** The module's mail lines, for the notifier (ServiceModule.mail). */
export const mail: ServiceMail = childcareMail;
