/**
 * The allowance beyond the review chain: living standards (versioned per year, edited by admins),
 * objections during the public notice, the city's confirmation with the standard in force, the
 * allowance it starts, monthly payment batches per township (create, close, paid), the family's
 * view of what was paid, annual reviews and termination (at 18, on a changed condition, adoption
 * or death). Every change of a case is an event in its history.
 */
import type { ApplicationService, ApplicationView } from '#core/application-service';
import type { WorkingCalendar } from '#core/calendar';
import type { Actor, Application, PendingEvent } from '#core/engine/types';
import { ForbiddenError, NotFoundError, ValidationError } from '#core/errors';
import { t } from '#core/i18n';
import type { ApplicationRepository, Clock, Ids } from '#core/ports';
import {
  ALLOWANCE_SERVICE_ID,
  CITY_AGENCY,
  chinaDate,
  confirmationOf,
  formOf,
  nextMonth,
  TOWNSHIP_AGENCY,
} from '#services/child-living-allowance/definition';
import { eighteenthBirthday } from '#services/child-living-allowance/form';
import {
  type EndReason,
  type LivingStandard,
  seedMonthlyFen,
} from '#services/child-living-allowance/reference';
import { AllowanceConflictError, type AllowanceStore } from '#services/child-living-allowance/store';
import type { Allowance, Payment, PaymentBatch } from '#services/child-living-allowance/types';

/** Working days the township has to complete an annual review. */
export const REVIEW_SLA_WORKING_DAYS = 15;

export interface AllowanceDeps {
  apps: ApplicationRepository;
  appService: ApplicationService;
  store: AllowanceStore;
  clock: Clock;
  ids: Ids;
  calendar: WorkingCalendar;
}

export const standardId = (year: number, version: number) => `${year}.${version}`;

export function seedStandard(year: number): LivingStandard | undefined {
  const fen = seedMonthlyFen[year];
  return fen === undefined
    ? undefined
    : {
        id: standardId(year, 1),
        year,
        version: 1,
        monthlyFen: fen,
        publishedAt: `${year - 1}-12-01T00:00:00.000Z`,
        publishedBy: 'seed',
      };
}

const monthOf = (date: string) => date.slice(0, 7);
const addYears = (date: string, n: number) => `${Number(date.slice(0, 4)) + n}${date.slice(4)}`;
/** The date one month earlier (the 18th-birthday notice), clamped to the month's end. */
function monthBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const py = m === 1 ? y - 1 : y;
  const pm = m === 1 ? 12 : m - 1;
  const last = new Date(Date.UTC(py, pm, 0)).getUTCDate();
  return `${py}-${String(pm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export class AllowanceService {
  constructor(private readonly d: AllowanceDeps) {}

  // ── standards ───────────────────────────────────────────────────────────────────────────────
  /**
   * The standard in force for a year: its latest published version, else its seed; a year with
   * neither keeps the latest earlier year's (a standard stays until it is adjusted).
   */
  async standard(year: number): Promise<LivingStandard> {
    let current: LivingStandard | undefined;
    for (let y = year; y >= year - 5 && !current; y--) {
      current = (await this.d.store.currentStandard(y)) ?? seedStandard(y);
    }
    if (!current) {
      throw new AllowanceConflictError(
        'NO_STANDARD',
        t(`${year} 年的保障标准尚未公布`, `No living standard is published for ${year}`),
      );
    }
    return current;
  }

  async publishStandard(actor: Actor, year: number, monthlyFen: number): Promise<LivingStandard> {
    if (actor.role !== 'admin') throw new ForbiddenError();
    const stored = await this.d.store.currentStandard(year);
    const base = stored ?? seedStandard(year);
    const version = (base?.version ?? 0) + 1;
    const next: LivingStandard = {
      id: standardId(year, version),
      year,
      version,
      monthlyFen,
      publishedAt: this.d.clock.now().toISOString(),
      publishedBy: actor.sub,
    };
    await this.d.store.publishStandard(next, stored?.version ?? 0, stored ? undefined : base);
    return next;
  }

  // ── the review chain ────────────────────────────────────────────────────────────────────────
  /** The township records an objection during the notice: the notice stops and becomes its review. */
  object(actor: Actor, id: string, note: string): Promise<ApplicationView> {
    return this.d.appService.interrupt(actor, id, 'public-notice', 'objection', note);
  }

  /**
   * The city confirms with the standard in force (its outputs are computed, never typed), and the
   * allowance starts (payments from the next month).
   */
  async confirm(actor: Actor, id: string, note?: string): Promise<ApplicationView> {
    const now = this.d.clock.now();
    const standard = await this.standard(Number(chinaDate(now).slice(0, 4)));
    const view = await this.d.appService.decide(
      actor,
      id,
      'city-confirmation',
      { decision: 'approve', note },
      { computeInput: { standard, now } },
    );
    const app = await this.d.apps.get(id);
    if (app) await this.start(app);
    return view;
  }

  /** Creates the allowance of a confirmed case (idempotent; the lifecycle job repairs a missed one). */
  async start(app: Application): Promise<Allowance | null> {
    const confirmation = confirmationOf(app);
    if (!confirmation || app.service !== ALLOWANCE_SERVICE_ID) return null;
    const existing = await this.d.store.getAllowance(app.id);
    if (existing) return existing;
    const confirmedAt = app.steps['city-confirmation']?.decidedAt ?? app.updatedAt;
    const allowance: Allowance = {
      appId: app.id,
      applicant: app.applicant,
      township: app.township ?? '',
      label: app.label,
      birthDate: formOf(app.form).child.birthDate,
      confirmedAt,
      startMonth: confirmation.startMonth,
      status: 'active',
      nextReviewOn: addYears(chinaDate(new Date(confirmedAt)), 1),
      reviews: 0,
      version: 1,
    };
    await this.d.store.createAllowance(allowance, [
      this.event(app.id, allowance.township, 'allowance-started', undefined, {
        startMonth: allowance.startMonth,
        monthlyFen: confirmation.monthlyFen,
        standardVersion: confirmation.standardVersion,
      }),
    ]);
    return (await this.d.store.getAllowance(app.id)) ?? allowance;
  }

  // ── reading ─────────────────────────────────────────────────────────────────────────────────
  async allowance(actor: Actor, id: string): Promise<{ allowance: Allowance; payments: Payment[] }> {
    const allowance = await this.d.store.getAllowance(id);
    if (!allowance || !this.mayRead(actor, allowance)) {
      throw new NotFoundError(t('保障记录不存在', 'No such allowance'));
    }
    const payments = (await this.d.store.listPayments(id)).sort((a, b) => a.month.localeCompare(b.month));
    return { allowance, payments };
  }

  async allowances(actor: Actor, township: string): Promise<Allowance[]> {
    this.requireStaff(actor, township, 'read');
    return (await this.d.store.listTownship(township)).sort((a, b) => a.appId.localeCompare(b.appId));
  }

  // ── payment batches ─────────────────────────────────────────────────────────────────────────
  /**
   * A township's payments for a month: every allowance running in that month (started on or
   * before it, not ended before it) at the standard in force for the month's year. One batch per
   * township and month: a second creation (even a concurrent one) is a 409.
   */
  async createBatch(actor: Actor, township: string, month: string): Promise<PaymentBatch> {
    this.requireStaff(actor, township, 'write');
    const now = this.d.clock.now();
    if (month > monthOf(chinaDate(now))) {
      throw new ValidationError([
        {
          path: 'body.month',
          code: 'cla.monthFuture',
          message: t('不能为未来月份建立发放批次', 'A batch cannot be made for a future month'),
        },
      ]);
    }
    const standard = await this.standard(Number(month.slice(0, 4)));
    const running = (await this.d.store.listTownship(township)).filter(
      (a) => a.startMonth <= month && (!a.endMonth || month <= a.endMonth),
    );
    const payments: Payment[] = running.map((a) => ({
      appId: a.appId,
      township,
      month,
      amountFen: standard.monthlyFen,
      standardVersion: standard.id,
      status: 'pending',
    }));
    const batch: PaymentBatch = {
      township,
      month,
      status: 'open',
      count: payments.length,
      totalFen: payments.reduce((s, p) => s + p.amountFen, 0),
      standardVersion: standard.id,
      createdAt: now.toISOString(),
      createdBy: actor.sub,
    };
    await this.d.store.createBatch(batch, payments);
    return batch;
  }

  async batch(
    actor: Actor,
    township: string,
    month: string,
  ): Promise<{ batch: PaymentBatch; payments: Payment[] }> {
    this.requireStaff(actor, township, 'read');
    const batch = await this.d.store.getBatch(township, month);
    if (!batch) throw new NotFoundError(t('发放批次不存在', 'No such payment batch'));
    const payments = (await this.d.store.listBatchPayments(township, month)).sort((a, b) =>
      a.appId.localeCompare(b.appId),
    );
    return { batch, payments };
  }

  /** The township closes the checked batch (no more changes); the city then records it paid. */
  async closeBatch(actor: Actor, township: string, month: string): Promise<PaymentBatch> {
    this.requireStaff(actor, township, 'write');
    const at = this.d.clock.now().toISOString();
    await this.d.store.moveBatch(township, month, 'open', {
      status: 'closed',
      closedAt: at,
      closedBy: actor.sub,
    });
    return (await this.d.store.getBatch(township, month)) as PaymentBatch;
  }

  /**
   * The city records the bank transfer of a closed batch; each child's payment is marked paid with
   * an event (the family's e-mail). A repeated call finishes payments left pending by a failure.
   */
  async markPaid(actor: Actor, township: string, month: string, reference: string): Promise<PaymentBatch> {
    if (actor.role !== 'caseworker' || actor.agency !== CITY_AGENCY) {
      throw new ForbiddenError(
        t('只有市民政局可以登记发放', 'Only the city civil-affairs bureau records payment'),
      );
    }
    const batch = await this.d.store.getBatch(township, month);
    if (!batch) throw new NotFoundError(t('发放批次不存在', 'No such payment batch'));
    const at = this.d.clock.now().toISOString();
    if (batch.status !== 'paid') {
      await this.d.store.moveBatch(township, month, 'closed', {
        status: 'paid',
        paidAt: at,
        paidBy: actor.sub,
        paymentReference: reference,
      });
    }
    const ref = batch.paymentReference ?? reference;
    for (const p of await this.d.store.listBatchPayments(township, month)) {
      if (p.status !== 'pending') continue;
      await this.d.store.markPaymentPaid(p, ref, at, [
        this.event(p.appId, township, 'allowance-paid', undefined, {
          month: p.month,
          amountFen: p.amountFen,
          standardVersion: p.standardVersion,
        }),
      ]);
    }
    return (await this.d.store.getBatch(township, month)) as PaymentBatch;
  }

  // ── dynamic management ──────────────────────────────────────────────────────────────────────
  /** The township completes the annual review: the allowance continues, or ends. */
  async completeReview(
    actor: Actor,
    id: string,
    input: {
      outcome: 'continue' | 'terminate';
      reason?: EndReason | undefined;
      effectiveDate?: string | undefined;
      note?: string | undefined;
    },
  ): Promise<Allowance> {
    const a = await this.requireAllowance(actor, id, 'write');
    if (!a.review) {
      throw new AllowanceConflictError('NO_REVIEW', t('当前没有待办的年度复核', 'No annual review is open'));
    }
    if (input.outcome === 'terminate') {
      return this.end(actor, a, input.reason ?? 'condition-changed', input.effectiveDate, input.note, true);
    }
    const now = this.d.clock.now();
    const next: Allowance = {
      ...a,
      review: undefined,
      reviews: a.reviews + 1,
      nextReviewOn: addYears(a.nextReviewOn, 1),
      version: a.version + 1,
    };
    await this.d.store.saveAllowance(next, a.version, [
      this.event(id, a.township, 'annual-review-completed', actor, {
        year: a.review.year,
        outcome: 'continue',
        withinSla: now.toISOString() <= a.review.dueAt,
      }),
    ]);
    return next;
  }

  /** Ends an allowance (changed condition, adoption, death…): paid through the effective month. */
  async terminate(
    actor: Actor,
    id: string,
    input: { reason: EndReason; effectiveDate?: string | undefined; note?: string | undefined },
  ): Promise<Allowance> {
    const a = await this.requireAllowance(actor, id, 'write');
    return this.end(actor, a, input.reason, input.effectiveDate, input.note, false);
  }

  private async end(
    actor: Actor | undefined,
    a: Allowance,
    reason: EndReason,
    effectiveDate: string | undefined,
    note: string | undefined,
    fromReview: boolean,
  ): Promise<Allowance> {
    if (a.status !== 'active') {
      throw new AllowanceConflictError(
        'ALLOWANCE_ENDED',
        t('该保障已终止', 'This allowance has already ended'),
      );
    }
    const now = this.d.clock.now();
    const effective = effectiveDate ?? chinaDate(now);
    // before the start month: nothing is ever paid (the batches want startMonth <= month <= endMonth)
    const endMonth = monthOf(effective);
    const cancel = (await this.d.store.listPayments(a.appId)).filter(
      (p) => p.status === 'pending' && p.month > endMonth,
    );
    const next: Allowance = {
      ...a,
      status: 'ended',
      endMonth,
      endReason: reason,
      endedAt: now.toISOString(),
      review: undefined,
      reviews: fromReview ? a.reviews + 1 : a.reviews,
      version: a.version + 1,
    };
    await this.d.store.saveAllowance(
      next,
      a.version,
      [
        this.event(
          a.appId,
          a.township,
          'allowance-terminated',
          actor,
          {
            endReason: reason,
            effectiveDate: effective,
            endMonth,
            stopsFrom: nextMonth(endMonth),
            cancelledPayments: cancel.length,
            fromReview,
          },
          note,
        ),
      ],
      cancel,
    );
    return next;
  }

  /**
   * The scheduled run (daily): for every active allowance, the 18th-birthday notice a month
   * before, the end on the birthday, the annual review on the anniversary and its overdue flag.
   * Also starts the allowance of a confirmed case whose start was missed (a crash in between).
   */
  async runLifecycle(): Promise<{
    notices: number;
    ended: number;
    reviewsOpened: number;
    overdue: number;
    started: number;
  }> {
    const now = this.d.clock.now();
    const today = chinaDate(now);
    const counts = { notices: 0, ended: 0, reviewsOpened: 0, overdue: 0, started: 0 };
    for (const id of await this.d.store.completedCases(ALLOWANCE_SERVICE_ID)) {
      if (await this.d.store.getAllowance(id)) continue;
      const app = await this.d.apps.get(id);
      if (app && (await this.start(app))) counts.started++;
    }
    for (const a of await this.d.store.listActive()) {
      try {
        const b18 = eighteenthBirthday(a.birthDate);
        if (today >= b18) {
          await this.end(undefined, a, 'age-18', b18, undefined, false);
          counts.ended++;
          continue;
        }
        let cur = a;
        if (!cur.ageNoticeAt && today >= monthBefore(b18)) {
          const next = { ...cur, ageNoticeAt: now.toISOString(), version: cur.version + 1 };
          await this.d.store.saveAllowance(next, cur.version, [
            this.event(cur.appId, cur.township, 'termination-notice', undefined, {
              endReason: 'age-18',
              effectiveDate: b18,
              lastMonth: monthOf(b18),
            }),
          ]);
          cur = next;
          counts.notices++;
        }
        if (!cur.review && today >= cur.nextReviewOn) {
          const due = this.d.calendar.addWorkingDays(now, REVIEW_SLA_WORKING_DAYS);
          const review = {
            year: Number(cur.nextReviewOn.slice(0, 4)),
            openedAt: now.toISOString(),
            dueAt: due.at.toISOString(),
          };
          const next = { ...cur, review, version: cur.version + 1 };
          await this.d.store.saveAllowance(next, cur.version, [
            this.event(cur.appId, cur.township, 'annual-review-opened', undefined, {
              year: review.year,
              dueAt: review.dueAt,
            }),
          ]);
          cur = next;
          counts.reviewsOpened++;
        } else if (cur.review && !cur.review.overdue && now.toISOString() >= cur.review.dueAt) {
          const next = { ...cur, review: { ...cur.review, overdue: true }, version: cur.version + 1 };
          await this.d.store.saveAllowance(next, cur.version, [
            this.event(cur.appId, cur.township, 'annual-review-overdue', undefined, {
              year: cur.review.year,
              dueAt: cur.review.dueAt,
            }),
          ]);
          counts.overdue++;
        }
      } catch (err) {
        // a concurrent change (a caseworker acting): the next run looks again
        if (!(err instanceof AllowanceConflictError)) throw err;
      }
    }
    return counts;
  }

  // ── access ──────────────────────────────────────────────────────────────────────────────────
  private mayRead(actor: Actor, a: Allowance): boolean {
    if (actor.role === 'parent') return actor.sub === a.applicant;
    if (actor.role === 'admin' || actor.role === 'auditor') return true;
    return this.isStaffOf(actor, a.township);
  }

  private isStaffOf(actor: Actor, township: string): boolean {
    if (actor.role !== 'caseworker') return false;
    return actor.agency === CITY_AGENCY || (actor.agency === TOWNSHIP_AGENCY && actor.township === township);
  }

  private requireStaff(actor: Actor, township: string, mode: 'read' | 'write') {
    if (mode === 'read' && (actor.role === 'admin' || actor.role === 'auditor')) return;
    if (!this.isStaffOf(actor, township)) {
      throw new ForbiddenError(
        t('该乡镇的保障不属于您办理', "This township's allowances are not yours to handle"),
      );
    }
  }

  private async requireAllowance(actor: Actor, id: string, mode: 'read' | 'write'): Promise<Allowance> {
    const a = await this.d.store.getAllowance(id);
    if (!a || !this.mayRead(actor, a)) throw new NotFoundError(t('保障记录不存在', 'No such allowance'));
    this.requireStaff(actor, a.township, mode);
    return a;
  }

  private event(
    appId: string,
    township: string,
    type: string,
    actor: Actor | undefined,
    data: Record<string, unknown>,
    note?: string,
  ): PendingEvent {
    return {
      eventId: this.d.ids.newId(),
      appId,
      service: ALLOWANCE_SERVICE_ID,
      type,
      at: this.d.clock.now().toISOString(),
      actor: actor
        ? { sub: actor.sub, role: actor.role, agency: actor.agency }
        : { sub: 'system', role: 'system' },
      township,
      ...(note ? { note } : {}),
      data,
    };
  }
}
