/**
 * Childcare: where a registration stands on each preference it waits for (the waitlist position
 * the waitlist e-mail promises, or the round it entered with its deadline) and what happens next.
 * Shown to the parent on the application page and to staff in the case view; the server computes
 * the positions (`waitlist` of `GET /applications/{id}`).
 */
import { type Text, useI18n } from '../../i18n.tsx';
import type { ApplicationView, WaitlistView } from '../../types.ts';

const text = {
  title: { 'zh-CN': '候补与分配', en: 'Waitlist and allocation' },
  preference: { 'zh-CN': '志愿', en: 'Preference' },
  place: { 'zh-CN': '托育机构与班级', en: 'Nursery and class' },
  standing: { 'zh-CN': '当前情况', en: 'Where it stands' },
  position: { 'zh-CN': '候补第 {n} 位（共 {total} 人）', en: 'Number {n} of {total} on the waitlist' },
  roundPending: {
    'zh-CN': '参加 {term} 学期批次分配，报名截止 {deadline}',
    en: 'In the {term} round; registration closes {deadline}',
  },
  roundDrawn: { 'zh-CN': '批次已于 {at} 分配', en: 'The round was drawn on {at}' },
  nextRound: {
    'zh-CN': '报名截止后，系统按优先积分排序、积分相同时公开摇号，依次按志愿分配托位，并以电子邮件通知结果。',
    en: 'After the deadline places are given by priority points, then by a public lottery, in the order of your preferences; you will be told the result by e-mail.',
  },
  nextWaitlist: {
    'zh-CN':
      '有托位空出时（例如有家庭放弃或逾期未确认），按候补顺序依次发出托位，届时请在 7 个工作日内确认。',
    en: 'When a place frees up (a family declines or does not answer), it is offered in waitlist order; you then have 7 working days to answer.',
  },
} satisfies Record<string, Text>;

const fill = (s: string, params: Record<string, string | number>) =>
  s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));

export function Waitlist({ app }: { app: ApplicationView }) {
  const { tx, dt } = useI18n();
  const lines = app.waitlist ?? [];
  if (lines.length === 0) return null;
  const str = (v: unknown) => (typeof v === 'string' ? v : tx(v as Text | undefined));
  const standing = (w: WaitlistView) => {
    if (w.pending && w.round) {
      return fill(tx(text.roundPending), {
        term: str(w.data?.term) || w.round.id,
        deadline: dt(w.round.deadline),
      });
    }
    const line =
      w.position === null
        ? ''
        : fill(tx(text.position), { n: w.position, total: Math.max(w.length, w.position) });
    const drawn = w.round?.allocatedAt ? fill(tx(text.roundDrawn), { at: dt(w.round.allocatedAt) }) : '';
    return [line, drawn].filter(Boolean).join('；');
  };
  const anyPending = lines.some((w) => w.pending);
  const anyInLine = lines.some((w) => !w.pending);
  return (
    <section className="card waitlist-card" aria-labelledby="waitlist-title" data-testid="waitlist">
      <h2 id="waitlist-title">{tx(text.title)}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{tx(text.preference)}</th>
            <th scope="col">{tx(text.place)}</th>
            <th scope="col">{tx(text.standing)}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((w, i) => (
            <tr key={`${w.org}#${w.pool}`}>
              <td>{i + 1}</td>
              <td>
                {[w.data?.nurseryName, w.data?.className].map(str).filter(Boolean).join(' · ') || w.org}
              </td>
              <td>{standing(w)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {anyPending ? <p>{tx(text.nextRound)}</p> : null}
      {anyInLine ? <p>{tx(text.nextWaitlist)}</p> : null}
    </section>
  );
}
