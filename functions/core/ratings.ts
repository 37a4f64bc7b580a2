/**
 * 好差评 (国办发〔2019〕51号): when a case ends the family rates it, 非常满意 … 非常不满意, with an
 * optional comment. A 不满意 or 非常不满意 opens a follow-up for the citizen service centre with its
 * own SLA: call the family back (回访) within 1 working day, resolve within 5, the outcome recorded.
 * Ratings are counted per service, agency and township for the auditors. One rating per case.
 */
import type { WorkingCalendar } from './calendar.ts';
import { isFamily } from './engine/access.ts';
import type { Actor, Application } from './engine/types.ts';
import { TERMINAL } from './engine/types.ts';
import { ForbiddenError, InvalidStateError, NotFoundError } from './errors.ts';
import { type I18nText, t } from './i18n.ts';
import type { ApplicationRepository, Clock } from './ports.ts';

/** Best first: the order of the national scale. */
export const ratingScores = [
  'very-satisfied',
  'satisfied',
  'basically-satisfied',
  'dissatisfied',
  'very-dissatisfied',
] as const;
export type RatingScore = (typeof ratingScores)[number];

export const ratingLabels: Record<RatingScore, I18nText> = {
  'very-satisfied': t('非常满意', 'Very satisfied'),
  satisfied: t('满意', 'Satisfied'),
  'basically-satisfied': t('基本满意', 'Basically satisfied'),
  dissatisfied: t('不满意', 'Dissatisfied'),
  'very-dissatisfied': t('非常不满意', 'Very dissatisfied'),
};

/** 差评: these open a follow-up. */
export const BAD_SCORES: ReadonlySet<RatingScore> = new Set(['dissatisfied', 'very-dissatisfied']);

/** The agency that calls families back (市民中心, the city's one-stop service centre). */
export const FOLLOW_UP_AGENCY = 'service-center';
export const CONTACT_WORKING_DAYS = 1;
export const RESOLVE_WORKING_DAYS = 5;

export interface Rating {
  appId: string;
  service: string;
  township?: string | undefined;
  /** the agencies that decided the case's steps (for the per-agency counts) */
  agencies: string[];
  /** how the case ended */
  outcome: string;
  score: RatingScore;
  comment?: string | undefined;
  ratedAt: string;
  ratedBy: string;
}

export type FollowUpStatus = 'open' | 'contacted' | 'resolved';

export interface FollowUp {
  appId: string;
  service: string;
  township?: string | undefined;
  score: RatingScore;
  comment?: string | undefined;
  status: FollowUpStatus;
  openedAt: string;
  /** 回访 by: the end of the first working day after the rating */
  contactDueAt: string;
  /** resolved by: the end of the fifth working day */
  resolveDueAt: string;
  contactedAt?: string | undefined;
  contactedBy?: string | undefined;
  contactNote?: string | undefined;
  resolvedAt?: string | undefined;
  resolvedBy?: string | undefined;
  outcome?: string | undefined;
}

export interface RatingStore {
  /** Stores the rating (and its follow-up) unless the case has one already: false then. */
  put(rating: Rating, followUp?: FollowUp): Promise<boolean>;
  get(appId: string): Promise<Rating | null>;
  getFollowUp(appId: string): Promise<FollowUp | null>;
  /** Follow-ups of a status, the soonest due first. */
  listFollowUps(status: FollowUpStatus, limit?: number): Promise<FollowUp[]>;
  /** Moves a follow-up on if it is still in `from`: false when someone else did first. */
  updateFollowUp(appId: string, from: FollowUpStatus, next: FollowUp): Promise<boolean>;
  /** Every rating given in a calendar year (China time), oldest first. */
  listRatings(year: number): Promise<Rating[]>;
}

export interface RatingCount {
  key: string;
  total: number;
  byScore: Record<RatingScore, number>;
  /** share of 非常满意 + 满意 + 基本满意, in % with one decimal; null without ratings */
  satisfiedPct: number | null;
}

export interface RatingReport {
  year: number;
  total: number;
  byScore: Record<RatingScore, number>;
  satisfiedPct: number | null;
  byService: RatingCount[];
  byAgency: RatingCount[];
  byTownship: RatingCount[];
  followUps: { opened: number; contactedInTime: number; resolvedInTime: number; open: number };
}

const zeroScores = (): Record<RatingScore, number> =>
  Object.fromEntries(ratingScores.map((s) => [s, 0])) as Record<RatingScore, number>;

function pct(byScore: Record<RatingScore, number>, total: number): number | null {
  if (total === 0) return null;
  const good = total - byScore.dissatisfied - byScore['very-dissatisfied'];
  return Math.round((good / total) * 1000) / 10;
}

function countBy(ratings: Rating[], keysOf: (r: Rating) => string[]): RatingCount[] {
  const map = new Map<string, Record<RatingScore, number>>();
  for (const r of ratings) {
    for (const key of new Set(keysOf(r))) {
      const c = map.get(key) ?? zeroScores();
      c[r.score] += 1;
      map.set(key, c);
    }
  }
  return [...map.entries()]
    .map(([key, byScore]) => {
      const total = Object.values(byScore).reduce((a, b) => a + b, 0);
      return { key, total, byScore, satisfiedPct: pct(byScore, total) };
    })
    .sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
}

/** The counts of a year's ratings and follow-ups (pure, for tests and the report route). */
export function ratingReport(year: number, ratings: Rating[], followUps: FollowUp[]): RatingReport {
  const byScore = zeroScores();
  for (const r of ratings) byScore[r.score] += 1;
  const inYear = followUps.filter((f) => f.openedAt.slice(0, 4) === String(year));
  return {
    year,
    total: ratings.length,
    byScore,
    satisfiedPct: pct(byScore, ratings.length),
    byService: countBy(ratings, (r) => [r.service]),
    byAgency: countBy(ratings, (r) => r.agencies),
    byTownship: countBy(ratings, (r) => [r.township ?? '—']),
    followUps: {
      opened: inYear.length,
      contactedInTime: inYear.filter((f) => f.contactedAt && f.contactedAt <= f.contactDueAt).length,
      resolvedInTime: inYear.filter((f) => f.resolvedAt && f.resolvedAt <= f.resolveDueAt).length,
      open: inYear.filter((f) => f.status !== 'resolved').length,
    },
  };
}

const notFound = () => new NotFoundError(t('申请不存在', 'No such application'));

export class RatingService {
  constructor(
    private readonly d: {
      apps: ApplicationRepository;
      ratings: RatingStore;
      clock: Clock;
      calendar: () => Promise<WorkingCalendar>;
    },
  ) {}

  /** The family's own case (404 for anyone else: case numbers cannot be probed). */
  private async ownCase(actor: Actor, appId: string): Promise<Application> {
    const app = await this.d.apps.get(appId);
    if (!app || !isFamily(actor, app)) throw notFound();
    return app;
  }

  async rate(
    actor: Actor,
    appId: string,
    input: { score: RatingScore; comment?: string | undefined },
  ): Promise<{ rating: Rating; followUp: FollowUp | null }> {
    const app = await this.ownCase(actor, appId);
    if (!TERMINAL.has(app.status)) {
      throw new InvalidStateError(t('办件办结后才能评价', 'A case can be rated once it has ended'));
    }
    const now = this.d.clock.now();
    const at = now.toISOString();
    const agencies = [
      ...new Set(
        Object.values(app.steps)
          .filter((s) => s.kind === 'human' && s.agency && s.decidedAt)
          .map((s) => s.agency as string),
      ),
    ].sort();
    const rating: Rating = {
      appId,
      service: app.service,
      township: app.township,
      agencies,
      outcome: app.status,
      score: input.score,
      comment: input.comment,
      ratedAt: at,
      ratedBy: actor.sub,
    };
    let followUp: FollowUp | null = null;
    if (BAD_SCORES.has(input.score)) {
      const calendar = await this.d.calendar();
      followUp = {
        appId,
        service: app.service,
        township: app.township,
        score: input.score,
        comment: input.comment,
        status: 'open',
        openedAt: at,
        contactDueAt: calendar.addWorkingDays(now, CONTACT_WORKING_DAYS).at.toISOString(),
        resolveDueAt: calendar.addWorkingDays(now, RESOLVE_WORKING_DAYS).at.toISOString(),
      };
    }
    if (!(await this.d.ratings.put(rating, followUp ?? undefined))) {
      throw new AlreadyRatedError();
    }
    return { rating, followUp };
  }

  /** The case's rating: the family, and staff who may read the case (via the caller's check). */
  async get(actor: Actor, appId: string): Promise<Rating | null> {
    if (actor.role === 'parent') await this.ownCase(actor, appId);
    else if (!isFollowUpStaff(actor) && actor.role !== 'auditor' && actor.role !== 'admin') {
      throw new ForbiddenError();
    }
    return this.d.ratings.get(appId);
  }

  async followUps(actor: Actor, status: FollowUpStatus): Promise<Array<FollowUp & { overdue: boolean }>> {
    assertFollowUpStaff(actor);
    const now = this.d.clock.now().toISOString();
    return (await this.d.ratings.listFollowUps(status)).map((f) => ({
      ...f,
      overdue:
        (f.status === 'open' && now > f.contactDueAt) || (f.status !== 'resolved' && now > f.resolveDueAt),
    }));
  }

  /** 回访: the centre called the family back. */
  async contact(actor: Actor, appId: string, note: string): Promise<FollowUp> {
    assertFollowUpStaff(actor);
    const current = await this.d.ratings.getFollowUp(appId);
    if (!current) throw notFound();
    if (current.status !== 'open') throw new FollowUpMovedError(current.status);
    const next: FollowUp = {
      ...current,
      status: 'contacted',
      contactedAt: this.d.clock.now().toISOString(),
      contactedBy: actor.sub,
      contactNote: note,
    };
    if (!(await this.d.ratings.updateFollowUp(appId, 'open', next)))
      throw new FollowUpMovedError('contacted');
    return next;
  }

  /** The complaint's resolution, after the call back. */
  async resolve(actor: Actor, appId: string, outcome: string): Promise<FollowUp> {
    assertFollowUpStaff(actor);
    const current = await this.d.ratings.getFollowUp(appId);
    if (!current) throw notFound();
    if (current.status !== 'contacted') throw new FollowUpMovedError(current.status);
    const next: FollowUp = {
      ...current,
      status: 'resolved',
      resolvedAt: this.d.clock.now().toISOString(),
      resolvedBy: actor.sub,
      outcome,
    };
    if (!(await this.d.ratings.updateFollowUp(appId, 'contacted', next))) {
      throw new FollowUpMovedError('resolved');
    }
    return next;
  }

  async report(actor: Actor, year: number): Promise<RatingReport> {
    if (actor.role !== 'auditor' && actor.role !== 'admin') {
      throw new ForbiddenError(t('只有审计人员和管理员可以查看', 'Only auditors and admins'));
    }
    const ratings = await this.d.ratings.listRatings(year);
    const followUps = (
      await Promise.all(
        ratings.filter((r) => BAD_SCORES.has(r.score)).map((r) => this.d.ratings.getFollowUp(r.appId)),
      )
    ).filter((f): f is FollowUp => f !== null);
    return ratingReport(year, ratings, followUps);
  }
}

const isFollowUpStaff = (actor: Actor) => actor.role === 'caseworker' && actor.agency === FOLLOW_UP_AGENCY;

function assertFollowUpStaff(actor: Actor) {
  if (!isFollowUpStaff(actor)) {
    throw new ForbiddenError(
      t('只有市民中心可以处理差评回访', 'Only the citizen service centre handles follow-ups'),
    );
  }
}

export class AlreadyRatedError extends InvalidStateError {
  constructor() {
    super(t('该办件已评价，每件只能评价一次', 'This case has been rated already; a case is rated once'));
  }
}

export class FollowUpMovedError extends InvalidStateError {
  constructor(status: FollowUpStatus) {
    super(
      t(
        `该回访已是“${status === 'open' ? '待回访' : status === 'contacted' ? '已回访' : '已办结'}”状态，请刷新`,
        `This follow-up is ${status} now; reload`,
      ),
    );
  }
}
