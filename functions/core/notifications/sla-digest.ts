/**
 * Staff are reached too (issue 15, item 6): once a day, each agency's duty inbox (值班邮箱, kept
 * by admins in the reference data) gets one digest of its open steps past their SLA warning or
 * deadline, not one mail per case. The sweeper runs it every minute; from the digest hour (China
 * time) on, each agency is settled once a day: sent, empty (nothing to report) or no-inbox (an
 * admin has yet to give one; logged). A claim with a lease makes two sweeps at once send one
 * digest, and one that died mid-send is taken over when its lease runs out (at least once, as
 * every e-mail here).
 *
 * What it says: the service and step, the application number, the township, the deadline and
 * whether it has passed, and a link to the case in the console — no names or other personal data.
 */
import { getService } from '../catalog.ts';
import type { I18nText } from '../i18n.ts';
import type { ApplicationRepository, Clock, Mailer, TaskItem } from '../ports.ts';

export interface DigestOutcome {
  status: 'sent' | 'empty' | 'no-inbox';
  cases: number;
  messageId?: string | undefined;
}

export interface DigestLog {
  /** agencies whose digest of the day is settled (sent, empty, no-inbox) */
  settled(day: string): Promise<Set<string>>;
  /** the right to send this agency's digest of the day, for a lease; false when held or settled */
  claim(day: string, agency: string, now: Date): Promise<boolean>;
  finish(day: string, agency: string, outcome: DigestOutcome, now: Date): Promise<void>;
}

export interface DigestAgency {
  id: string;
  name: I18nText;
  level: 'city' | 'township';
  /** the duty inbox */
  email?: string | undefined;
}

export interface SlaDigestDeps {
  repo: Pick<ApplicationRepository, 'listQueue'>;
  log: DigestLog;
  mailer: Mailer;
  clock: Clock;
  agencies: () => DigestAgency[];
  /** the townships whose queues a township-level agency has */
  townships: () => string[];
  townshipName?: (id: string) => string | undefined;
  consoleUrl: string;
  /** China hour from which the day's digests go out (default 8) */
  hour?: number;
  onNoInbox?: (agency: string, cases: number) => void;
}

const CHINA_MS = 8 * 3600_000;
const OPEN_STATUSES = ['open', 'claimed'] as const;
/** Steps read per queue: the soonest due come first, and they are the ones to report. */
const PER_QUEUE = 500;

const chinaDay = (d: Date) => new Date(d.getTime() + CHINA_MS).toISOString().slice(0, 10);
const chinaTime = (iso: string) =>
  new Date(Date.parse(iso) + CHINA_MS).toISOString().slice(0, 16).replace('T', ' ');

export class SlaDigests {
  constructor(private readonly d: SlaDigestDeps) {}

  async run(): Promise<{ sent: number; empty: number; noInbox: number }> {
    const now = this.d.clock.now();
    const result = { sent: 0, empty: 0, noInbox: 0 };
    const chinaHour = new Date(now.getTime() + CHINA_MS).getUTCHours();
    if (chinaHour < (this.d.hour ?? 8)) return result;
    const day = chinaDay(now);
    const settled = await this.d.log.settled(day);
    for (const agency of this.d.agencies()) {
      if (settled.has(agency.id)) continue;
      const due = await this.dueSteps(agency, now);
      if (due.length === 0) {
        await this.d.log.finish(day, agency.id, { status: 'empty', cases: 0 }, now);
        result.empty++;
        continue;
      }
      if (!agency.email) {
        await this.d.log.finish(day, agency.id, { status: 'no-inbox', cases: due.length }, now);
        this.d.onNoInbox?.(agency.id, due.length);
        result.noInbox++;
        continue;
      }
      if (!(await this.d.log.claim(day, agency.id, now))) continue;
      const { subject, text } = this.compose(agency, day, due, now);
      const sent = await this.d.mailer.send(agency.email, subject, text);
      await this.d.log.finish(
        day,
        agency.id,
        { status: 'sent', cases: due.length, messageId: sent.messageId },
        this.d.clock.now(),
      );
      result.sent++;
    }
    return result;
  }

  /** The agency's open steps past their warning or deadline, soonest deadline first. */
  private async dueSteps(agency: DigestAgency, now: Date): Promise<TaskItem[]> {
    const townships = agency.level === 'township' ? this.d.townships() : [undefined];
    const found: TaskItem[] = [];
    for (const township of townships) {
      for (const status of OPEN_STATUSES) {
        const items = await this.d.repo.listQueue({ agency: agency.id, township, status, limit: PER_QUEUE });
        found.push(
          ...items.filter(
            (i) => i.breached || i.warned || (i.dueAt !== undefined && i.dueAt <= now.toISOString()),
          ),
        );
      }
    }
    return found.sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? ''));
  }

  compose(agency: DigestAgency, day: string, due: TaskItem[], now: Date): { subject: string; text: string } {
    const late = due.filter((i) => i.breached || (i.dueAt !== undefined && i.dueAt <= now.toISOString()));
    const subject = `【乐清Onestop】时限预警日报 ${day}：${agency.name['zh-CN']} ${due.length} 件（已超时 ${late.length} 件） / SLA digest: ${due.length} steps, ${late.length} overdue`;
    const line = (i: TaskItem, lang: 'zh-CN' | 'en') => {
      const def = getService(i.service);
      const step = def.steps[i.step]?.title[lang] ?? i.step;
      const overdue = i.breached || (i.dueAt !== undefined && i.dueAt <= now.toISOString());
      const town = i.township ? (this.d.townshipName?.(i.township) ?? i.township) : undefined;
      const due = i.dueAt ? chinaTime(i.dueAt) : '—';
      return lang === 'zh-CN'
        ? `- ${def.title['zh-CN']} · ${step} · 申请编号 ${i.appId}${town ? ` · ${town}` : ''} · 办理时限 ${due}（${overdue ? '已超时' : '即将到期'}）\n  ${this.d.consoleUrl}/caseworker/cases/${i.appId}`
        : `- ${def.title.en} · ${step} · application ${i.appId}${town ? ` · ${town}` : ''} · due ${due} China time (${overdue ? 'overdue' : 'due soon'})`;
    };
    const text = [
      `${agency.name['zh-CN']}：`,
      '',
      `截至 ${chinaTime(now.toISOString())}，本单位有 ${due.length} 个办理环节已到预警时间或超过办理时限，请尽快处理：`,
      '',
      ...due.map((i) => line(i, 'zh-CN')),
      '',
      '本邮件每天发送一次，汇总当日需要关注的办件，不含申请人个人信息。',
      '',
      '---',
      `${agency.name.en}:`,
      '',
      `As of ${chinaTime(now.toISOString())} China time, ${due.length} steps of your agency are past their warning time or deadline:`,
      '',
      ...due.map((i) => line(i, 'en')),
      '',
      'This digest is sent once a day and holds no personal data of applicants.',
    ].join('\n');
    return { subject, text };
  }
}
