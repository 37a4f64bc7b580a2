/**
 * The rehab-aid use cases beyond the engine's review chain: documents (presigned upload, check,
 * audited short-lived view links), approval with the aid standard in force, the family's choice
 * of institution (the aid plan), the institutions' monthly claims, their approval against the
 * child's caps, and the monthly settlement per institution. Handlers call exactly one method.
 */

import {
  type ApprovalOutputs,
  approvalFrom,
  approvalOutputs,
  institutionOfAgency,
  REHAB_SERVICE_ID,
  rehabAid,
} from '#services/rehab-aid/definition';
import { documentRecords, rehabDocuments } from '#services/rehab-aid/documents';
import { ageBandFor, ageOn, chinaMonth } from '#services/rehab-aid/eligibility';
import { CapExceededError, ItemCapExceededError, RehabConflictError } from '#services/rehab-aid/errors';
import type { RehabForm } from '#services/rehab-aid/form';
import type { BudgetChange, DocumentStorage, RehabStore } from '#services/rehab-aid/ports';
import {
  type AidStandard,
  categoryNames,
  type DisabilityCategory,
  type InstitutionRecord,
  type ItemCaps,
  institutionAvailable,
  institutionServes,
  itemServes,
  type OneOffItem,
  oneOffItemInfo,
  type StandardAmounts,
  seedInstitutionRecords,
  seedItemCaps,
} from '#services/rehab-aid/reference';
import {
  assertCapsMatch,
  itemCapsOf,
  parseStandardId,
  seedStandard,
  standardId,
} from '#services/rehab-aid/standards';
import type {
  AidPlan,
  ChildBudget,
  ClaimStatus,
  RehabEvent,
  RehabEventType,
  ServiceClaim,
  Settlement,
} from '#services/rehab-aid/types';
import type { ApplicationService, ApplicationView } from '../../core/application-service.ts';
import { chinaDate } from '../../core/calendar.ts';
import { CaseDocuments } from '../../core/case-documents.ts';
import { canRead } from '../../core/engine/access.ts';
import type { Actor, Application } from '../../core/engine/types.ts';
import { ForbiddenError, InvalidStateError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { type I18nText, t } from '../../core/i18n.ts';
import type { ApplicationRepository, Clock, Ids } from '../../core/ports.ts';

export const claimRejectReasons: Record<string, I18nText> = {
  'sessions-not-verified': t('服务记录无法核实', 'The sessions cannot be verified'),
  'amount-incorrect': t('金额与服务记录不符', 'The amount does not match the sessions'),
  'outside-plan': t('不在救助方案范围内', 'Not covered by the approved plan'),
  duplicate: t('重复申报', 'Claimed twice'),
};

export interface RehabDeps {
  apps: ApplicationRepository;
  appService: ApplicationService;
  store: RehabStore;
  files: DocumentStorage;
  clock: Clock;
  ids: Ids;
  /** the HMAC blind index of an ID number (the same key as the application's own index) */
  childKey: (idNumber: string) => string;
  viewLinkSeconds?: number | undefined;
  /**
   * Refuse uploads the store does not report as encrypted (default). Off only for the local
   * s3rver, which keeps plain files on loopback and never reports server-side encryption.
   */
  requireEncryption?: boolean | undefined;
}

export interface BudgetView {
  year: number;
  monthlyCapFen: number;
  yearlyCapFen: number;
  approvedTotalFen: number;
  remainingFen: number;
  months: Record<string, number>;
  /** approved fen per one-off item this year */
  items: Partial<Record<OneOffItem, number>>;
  standardVersion: string;
}

export type PlanView = Omit<AidPlan, 'childKey'>;

const notFound = () => new NotFoundError(t('未找到', 'Not found'));
const isCity = (actor: Actor) => actor.role === 'caseworker' && actor.agency === 'dpf-city';
const institutionOf = (actor: Actor) =>
  actor.role === 'caseworker' ? institutionOfAgency(actor.agency) : undefined;
const field = (path: string, code: string, message: I18nText) =>
  new ValidationError([{ path, code, message }]);

export class RehabService {
  /** the kernel's case documents over this module's records (`RDOC#` items, `rehab/…` objects) */
  readonly documents: CaseDocuments;

  constructor(private readonly d: RehabDeps) {
    this.documents = new CaseDocuments({
      spec: rehabDocuments,
      apps: d.apps,
      store: documentRecords(d.store),
      files: d.files,
      clock: d.clock,
      ids: d.ids,
      viewLinkSeconds: d.viewLinkSeconds,
      requireEncryption: d.requireEncryption,
    });
  }

  // ── reference ────────────────────────────────────────────────────────────────────────────

  /** An institution as admins last stored it, else the seed's. */
  private async institution(id: string): Promise<InstitutionRecord | undefined> {
    return (await this.d.store.getInstitution(id)) ?? seedInstitutionRecords.find((i) => i.id === id);
  }

  /** Every institution, admins' records over the seed's, by id. */
  private async allInstitutions(): Promise<InstitutionRecord[]> {
    const byId = new Map(seedInstitutionRecords.map((i) => [i.id, i]));
    for (const r of await this.d.store.listInstitutions()) byId.set(r.id, r);
    return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /**
   * The designated institutions families may choose today (by category); an admin asking for
   * `all` sees every record with its status, dates and version.
   */
  async institutions(
    actor: Actor | undefined,
    opts: { category?: DisabilityCategory | undefined; all?: boolean | undefined } = {},
  ): Promise<InstitutionRecord[]> {
    const all = await this.allInstitutions();
    if (opts.all && actor?.role !== 'admin') {
      throw new ForbiddenError(t('只有管理员可以查看全部机构', 'Only admins list every institution'));
    }
    const today = chinaDate(this.d.clock.now());
    return all.filter(
      (i) =>
        (opts.all || institutionAvailable(i, today)) &&
        (!opts.category || i.categories.includes(opts.category)),
    );
  }

  /**
   * An admin adds or changes a designated institution (what it serves, its designation dates,
   * suspension): a new version if `expectedVersion` is still the current one (0 for a new or a
   * never-changed seed institution); two admins saving at once: one wins, the other gets 409.
   */
  async putInstitution(
    actor: Actor,
    id: string,
    input: Omit<InstitutionRecord, 'id' | 'version' | 'updatedAt' | 'updatedBy'> & {
      expectedVersion: number;
    },
  ): Promise<InstitutionRecord> {
    if (actor.role !== 'admin') {
      throw new ForbiddenError(
        t('只有管理员可以维护定点机构', 'Only admins maintain designated institutions'),
      );
    }
    const current = await this.institution(id);
    if ((current?.version ?? 0) !== input.expectedVersion) {
      throw new RehabConflictError(
        'INSTITUTION_CHANGED',
        t(
          `该机构已更新为第 ${current?.version ?? 0} 版，请刷新后重试`,
          `The institution is at version ${current?.version ?? 0} now; reload and retry`,
        ),
      );
    }
    const { expectedVersion, ...fields } = input;
    const record: InstitutionRecord = {
      ...fields,
      id,
      version: expectedVersion + 1,
      updatedAt: this.d.clock.now().toISOString(),
      updatedBy: actor.sub,
    };
    await this.d.store.putInstitution(record);
    return record;
  }

  /** Every version admins stored of an institution, oldest first (admins, auditors). */
  async institutionHistory(actor: Actor, id: string): Promise<InstitutionRecord[]> {
    if (actor.role !== 'admin' && actor.role !== 'auditor') {
      throw new ForbiddenError(t('只有管理员和审计人员可以查看', 'Only admins and auditors'));
    }
    return this.d.store.institutionHistory(id);
  }

  /** The standard in force for an aid year: the latest published version, else the seed. */
  async standard(year: number): Promise<AidStandard & { items: ItemCaps }> {
    const current = (await this.d.store.currentStandard(year)) ?? seedStandard(year);
    if (!current) {
      throw new NotFoundError(t(`${year} 年的救助标准尚未发布`, `No aid standard is published for ${year}`));
    }
    return { ...current, items: itemCapsOf(current) };
  }

  /** A new version of the year's standard; `items` left out keeps the previous version's. */
  async publishStandard(
    actor: Actor,
    year: number,
    amounts: StandardAmounts,
    items?: ItemCaps,
  ): Promise<AidStandard & { items: ItemCaps }> {
    if (actor.role !== 'admin')
      throw new ForbiddenError(t('只有管理员可以调整救助标准', 'Only admins set aid standards'));
    const stored = await this.d.store.currentStandard(year);
    const seed = seedStandard(year);
    const previous = stored ?? seed;
    const version = (previous?.version ?? 0) + 1;
    const next: AidStandard & { items: ItemCaps } = {
      year,
      version,
      id: standardId(year, version),
      amounts,
      items: items ?? (previous ? itemCapsOf(previous) : seedItemCaps),
      publishedAt: this.d.clock.now().toISOString(),
      publishedBy: actor.sub,
    };
    await this.d.store.publishStandard(next, stored?.version ?? 0, stored ? undefined : seed);
    return next;
  }

  private async standardById(year: number, version: number): Promise<AidStandard | undefined> {
    const stored = await this.d.store.standardVersion(year, version);
    if (stored) return stored;
    const seed = seedStandard(year);
    return seed?.version === version ? seed : undefined;
  }

  // ── documents ────────────────────────────────────────────────────────────────────────────

  // ── approval and plan ────────────────────────────────────────────────────────────────────

  /** The city 残联 approves with the standard in force; the outputs record its version and caps. */
  async approve(
    actor: Actor,
    appId: string,
    note?: string,
  ): Promise<{ application: ApplicationView; standard: ApprovalOutputs }> {
    if (!isCity(actor)) throw new ForbiddenError(t('只有市残联可以审批', 'Only the city DPF approves'));
    const app = await this.readableApp(actor, appId);
    const step = app.steps.approval;
    if (step?.status !== 'open' && step?.status !== 'claimed') {
      throw new InvalidStateError(t('该申请当前不在审批环节', 'The application is not waiting for approval'));
    }
    const form = app.form as unknown as RehabForm;
    const standard = await this.standard(form.application.aidYear).catch((err: unknown) => {
      if (!(err instanceof NotFoundError)) throw err;
      throw new RehabConflictError('STANDARD_MISSING', err.text);
    });
    const application = await this.d.appService.decide(
      actor,
      appId,
      'approval',
      { decision: 'approve', note },
      { computeInput: standard },
    );
    return { application, standard: approvalFrom(form, standard) };
  }

  /**
   * The family chooses the institution that will serve the child: this creates the aid plan and
   * takes the child's budget for the year. A later change of institution (or next year's
   * renewal) is a new application that is reviewed again and names this one.
   */
  async chooseInstitution(actor: Actor, appId: string, institution: string): Promise<PlanView> {
    const app = await this.ownApp(actor, appId);
    const approval = app.steps.approval;
    if (app.status !== 'completed' || approval?.status !== 'done') {
      throw new RehabConflictError(
        'NOT_APPROVED',
        t('申请尚未审批通过，不能选择机构', 'The application is not approved yet'),
      );
    }
    const outputs = approvalOutputs.safeParse(approval.outputs);
    if (!outputs.success) {
      throw new RehabConflictError(
        'STANDARD_MISMATCH',
        t('审批结果缺少救助标准，请联系市残联', 'The approval records no aid standard; contact the city DPF'),
      );
    }
    const approved = outputs.data;
    const form = app.form as unknown as RehabForm;
    const { band } = ageBandFor(form.child.birthDate, form.application.aidYear);
    const recorded = parseStandardId(approved.standardVersion);
    const standard =
      recorded?.year === approved.year ? await this.standardById(recorded.year, recorded.version) : undefined;
    if (
      !standard ||
      approved.year !== form.application.aidYear ||
      approved.category !== form.disability.category ||
      approved.ageBand !== band
    ) {
      throw new RehabConflictError(
        'STANDARD_MISMATCH',
        t(
          '审批记录的救助标准与申请不符，请联系市残联',
          'The recorded aid standard does not fit this application',
        ),
      );
    }
    assertCapsMatch(standard, approved.category, approved.ageBand, approved);

    const inst = await this.institution(institution);
    const now = this.d.clock.now();
    const age = Math.max(0, ageOn(form.child.birthDate, chinaDate(now)));
    if (!inst)
      throw field('institution', 'rehab.institutionUnknown', t('未知的定点康复机构', 'Unknown institution'));
    if (!institutionAvailable(inst, chinaDate(now))) {
      throw field(
        'institution',
        'rehab.institutionUnavailable',
        t(
          `${inst.name['zh-CN']}目前不是定点康复机构（已暂停或不在定点期内）`,
          `${inst.name.en} is not designated at present (suspended or outside its designation)`,
        ),
      );
    }
    if (!institutionServes(inst, approved.category, age)) {
      const c = categoryNames[approved.category];
      throw field(
        'institution',
        'institution_not_serving',
        t(
          `${inst.name['zh-CN']}不提供该年龄儿童的${c['zh-CN']}康复`,
          `${inst.name.en} does not serve ${c.en} rehabilitation at this age`,
        ),
      );
    }
    if (await this.d.store.getPlan(appId)) {
      throw new RehabConflictError(
        'PLAN_EXISTS',
        t(
          '已选择康复机构；变更机构请提交“变更机构”申请，经重新审批后生效',
          'The institution is chosen; to change it, submit a change-of-institution application for review',
        ),
      );
    }

    const childKey = this.d.childKey(form.child.idNumber);
    const nowIso = now.toISOString();
    const assessment = app.steps.assessment?.outputs as { sessionsPerMonth?: number } | undefined;
    const plan: AidPlan = {
      planId: appId,
      applicant: app.applicant,
      childKey,
      label: app.label,
      township: app.township ?? form.child.township,
      category: approved.category,
      ageBand: approved.ageBand,
      year: approved.year,
      institution: inst.id,
      standardVersion: approved.standardVersion,
      monthlyCapFen: approved.monthlyCapFen,
      yearlyCapFen: approved.yearlyCapFen,
      sessionsPerMonth: Number(assessment?.sessionsPerMonth ?? 0),
      kind: form.application.kind,
      previousPlanId: form.application.previousApplication,
      status: 'active',
      createdAt: nowIso,
      updatedAt: nowIso,
    };
    const events = [
      this.event(appId, 'institution-chosen', actor, {
        institution: inst.id,
        year: plan.year,
        standardVersion: plan.standardVersion,
        monthlyCapFen: plan.monthlyCapFen,
        yearlyCapFen: plan.yearlyCapFen,
      }),
    ];
    let budget: BudgetChange = {
      type: 'create',
      budget: {
        childKey,
        year: plan.year,
        monthlyCapFen: plan.monthlyCapFen,
        yearlyCapFen: plan.yearlyCapFen,
        approvedTotalFen: 0,
        months: {},
        activePlanId: appId,
        standardVersion: plan.standardVersion,
        updatedAt: nowIso,
      },
    };
    let supersede: AidPlan | undefined;
    if (plan.kind !== 'new') {
      const previous = plan.previousPlanId ? await this.d.store.getPlan(plan.previousPlanId) : null;
      if (!previous || previous.childKey !== childKey || previous.applicant !== app.applicant) {
        throw new RehabConflictError(
          'PREVIOUS_PLAN_MISMATCH',
          t('原申请没有该儿童的救助方案', 'The previous application has no aid plan for this child'),
        );
      }
      if (plan.kind === 'renewal' && previous.year + 1 !== plan.year) {
        throw new RehabConflictError(
          'RENEWAL_YEAR_MISMATCH',
          t(
            `续办应为 ${previous.year + 1} 年度`,
            `A renewal of ${previous.year} is for ${previous.year + 1}`,
          ),
        );
      }
      if (plan.kind === 'change-institution') {
        if (previous.status !== 'active' || previous.year !== plan.year) {
          throw new RehabConflictError(
            'PREVIOUS_PLAN_NOT_ACTIVE',
            t('原救助方案不在本年度执行中', "The previous plan is not this year's active plan"),
          );
        }
        if (previous.institution === inst.id) {
          throw field(
            'institution',
            'same_institution',
            t('变更机构须选择另一家定点机构', 'A change of institution needs another institution'),
          );
        }
        supersede = previous;
        budget = { type: 'switch', childKey, year: plan.year, fromPlanId: previous.planId };
        events.push(
          this.event(previous.planId, 'plan-superseded', actor, {
            supersededBy: appId,
            institution: inst.id,
          }),
        );
      }
    }
    await this.d.store.createPlan(plan, budget, events, supersede);
    return viewPlan(plan);
  }

  async plan(
    actor: Actor,
    planId: string,
  ): Promise<{ plan: PlanView; budget: BudgetView | null; claims: ServiceClaim[] }> {
    const plan = await this.readablePlan(actor, planId);
    const [budget, claims] = await Promise.all([
      this.d.store.getBudget(plan.childKey, plan.year),
      this.d.store.listClaimsOfPlan(planId),
    ]);
    return { plan: viewPlan(plan), budget: budget ? viewBudget(budget) : null, claims };
  }

  /** An institution's children: the plans it serves. */
  async plansOfInstitution(actor: Actor): Promise<PlanView[]> {
    const institution = institutionOf(actor);
    if (!institution) throw new ForbiddenError(t('只有定点康复机构可以查看', 'Only designated institutions'));
    return (await this.d.store.listPlansByInstitution(institution)).map(viewPlan);
  }

  // ── claims ───────────────────────────────────────────────────────────────────────────────

  async fileClaim(
    actor: Actor,
    planId: string,
    input: {
      month: string;
      item?: OneOffItem | undefined;
      sessions?: number | undefined;
      amountFen: number;
      note?: string | undefined;
    },
  ): Promise<ServiceClaim> {
    const institution = institutionOf(actor);
    if (!institution) {
      throw new ForbiddenError(t('只有定点康复机构可以申报', 'Only designated institutions file claims'));
    }
    const plan = await this.d.store.getPlan(planId);
    if (!plan || plan.institution !== institution) throw notFound();
    if (plan.status !== 'active') {
      throw new RehabConflictError(
        'PLAN_NOT_ACTIVE',
        t('该救助方案已变更机构，不能再申报', 'This plan moved to another institution; no more claims'),
      );
    }
    const now = this.d.clock.now();
    if (!input.month.startsWith(`${plan.year}-`)) {
      throw field(
        'month',
        'outside_plan_year',
        t(`服务月份应在 ${plan.year} 年内`, `The month must be in ${plan.year}`),
      );
    }
    if (input.month > chinaMonth(now)) {
      throw field(
        'month',
        'future_month',
        t('不能申报尚未开始的月份', 'A month that has not begun cannot be claimed'),
      );
    }
    if (input.item) await this.checkItemClaim(plan, input.item, input.amountFen, input.sessions);
    else if (input.sessions === undefined) {
      throw field(
        'sessions',
        'required',
        t(
          '请填写该月训练次数（或选择一次性项目）',
          'Enter the sessions of the month (or choose a one-off item)',
        ),
      );
    } else if (input.amountFen > plan.monthlyCapFen) {
      throw field(
        'amountFen',
        'over_monthly_cap',
        t(
          `金额超过每月救助上限 ¥${(plan.monthlyCapFen / 100).toFixed(2)}`,
          `The amount is over the monthly cap of ¥${(plan.monthlyCapFen / 100).toFixed(2)}`,
        ),
      );
    }
    const claim: ServiceClaim = {
      claimId: this.d.ids.newId(),
      planId,
      institution,
      label: plan.label,
      month: input.month,
      item: input.item,
      sessions: input.sessions ?? 0,
      amountFen: input.amountFen,
      note: input.note,
      status: 'filed',
      filedAt: now.toISOString(),
      filedBy: actor.sub,
    };
    await this.d.store.fileClaim(
      claim,
      this.event(planId, 'claim-filed', actor, {
        claimId: claim.claimId,
        month: claim.month,
        sessions: claim.sessions,
        amountFen: claim.amountFen,
        ...(claim.item ? { item: claim.item } : {}),
      }),
    );
    return claim;
  }

  /** A one-off item fits the child's category, its cap, and has not been approved this year. */
  private async checkItemClaim(plan: AidPlan, item: OneOffItem, amountFen: number, sessions?: number) {
    if (sessions !== undefined) {
      throw field(
        'sessions',
        'not_for_item',
        t('一次性项目不填写训练次数', 'A one-off item has no sessions'),
      );
    }
    if (!itemServes(item, plan.category)) {
      const info = oneOffItemInfo[item];
      const category = categoryNames[plan.category];
      throw field(
        'item',
        'item_not_for_category',
        t(
          `${info.name['zh-CN']}不适用于${category['zh-CN']}残疾儿童`,
          `${info.name.en} is not for a child with a ${category.en} disability`,
        ),
      );
    }
    const capFen = await this.itemCap(plan, item);
    if (amountFen > capFen) {
      throw field(
        'amountFen',
        'over_item_cap',
        t(
          `金额超过该项目救助上限 ¥${(capFen / 100).toFixed(2)}`,
          `The amount is over the item's cap of ¥${(capFen / 100).toFixed(2)}`,
        ),
      );
    }
    const budget = await this.d.store.getBudget(plan.childKey, plan.year);
    const approved = budget?.items?.[item];
    if (approved !== undefined) throw new ItemCapExceededError(item, capFen, approved, amountFen);
  }

  /** The item's cap in the standard version the plan was approved under. */
  private async itemCap(plan: AidPlan, item: OneOffItem): Promise<number> {
    const parsed = parseStandardId(plan.standardVersion);
    const standard = parsed ? await this.standardById(parsed.year, parsed.version) : undefined;
    return (standard ? itemCapsOf(standard) : seedItemCaps)[item];
  }

  async claims(actor: Actor, status: ClaimStatus): Promise<ServiceClaim[]> {
    if (!isCity(actor) && actor.role !== 'auditor' && actor.role !== 'admin') {
      throw new ForbiddenError(t('只有市残联可以查看申报队列', 'Only the city DPF sees the claim queue'));
    }
    return this.d.store.listClaimsByStatus(status);
  }

  async decideClaim(
    actor: Actor,
    planId: string,
    claimId: string,
    input: {
      decision: 'approve' | 'reject';
      approvedFen?: number | undefined;
      reason?: string | undefined;
      note?: string | undefined;
    },
  ): Promise<{ claim: ServiceClaim; budget: BudgetView | null }> {
    if (!isCity(actor))
      throw new ForbiddenError(t('只有市残联可以审核申报', 'Only the city DPF decides claims'));
    const [plan, claim] = await Promise.all([
      this.d.store.getPlan(planId),
      this.d.store.getClaim(planId, claimId),
    ]);
    if (!plan || !claim) throw notFound();
    if (claim.status !== 'filed') {
      throw new RehabConflictError('CLAIM_DECIDED', t('该申报已审核', 'This claim has been decided already'));
    }
    const now = this.d.clock.now();
    const nowIso = now.toISOString();
    if (input.decision === 'reject') {
      const code = input.reason;
      if (!code || (!Object.hasOwn(claimRejectReasons, code) && code !== 'other')) {
        throw field(
          'reason',
          'invalid_reason',
          t(
            `请选择退回原因：${[...Object.keys(claimRejectReasons), 'other'].join(', ')}`,
            `Choose a coded reason: ${[...Object.keys(claimRejectReasons), 'other'].join(', ')}`,
          ),
        );
      }
      if (code === 'other' && !input.note) {
        throw field(
          'note',
          'required',
          t('选择“其他”时必须说明原因', 'Explain the reason when choosing "other"'),
        );
      }
      const rejected: ServiceClaim = {
        ...claim,
        status: 'rejected',
        decidedAt: nowIso,
        decidedBy: actor.sub,
        reason: { code, note: input.note },
      };
      await this.d.store.rejectClaim(
        rejected,
        this.event(planId, 'claim-rejected', actor, {
          claimId,
          reason: code,
          month: claim.month,
          amountFen: claim.amountFen,
          ...(claim.item ? { item: claim.item } : {}),
        }),
      );
      const budget = await this.d.store.getBudget(plan.childKey, plan.year);
      return { claim: rejected, budget: budget ? viewBudget(budget) : null };
    }

    const approvedFen = input.approvedFen ?? claim.amountFen;
    if (approvedFen > claim.amountFen) {
      throw field(
        'approvedFen',
        'over_claimed',
        t('核准金额不能超过申报金额', 'Cannot approve more than claimed'),
      );
    }
    const budget = await this.d.store.getBudget(plan.childKey, plan.year);
    if (!budget)
      throw new InvalidStateError(t('该儿童本年度没有救助额度', 'No aid budget for this child and year'));
    if (claim.item) return this.approveItem(actor, plan, claim, budget, approvedFen);
    // A friendly early answer; the store's conditional write is what actually holds the caps.
    if (budget.approvedTotalFen + approvedFen > budget.yearlyCapFen) {
      throw new CapExceededError('yearly', budget.yearlyCapFen, budget.approvedTotalFen, approvedFen);
    }
    const inMonth = budget.months[claim.month] ?? 0;
    if (inMonth + approvedFen > budget.monthlyCapFen) {
      throw new CapExceededError('monthly', budget.monthlyCapFen, inMonth, approvedFen);
    }
    const settlementMonth = chinaMonth(now);
    await this.d.store.approveClaim({
      claim,
      approvedFen,
      caps: { monthlyCapFen: budget.monthlyCapFen, yearlyCapFen: budget.yearlyCapFen },
      childKey: plan.childKey,
      year: plan.year,
      settlementMonth,
      at: nowIso,
      by: actor.sub,
      // The budget as read plus this approval: for the family's mail (a same-child approval racing
      // this one may make it older by one claim; the caps themselves are held by the store).
      event: this.event(planId, 'claim-approved', actor, {
        claimId,
        month: claim.month,
        approvedFen,
        settlementMonth,
        yearlyCapFen: budget.yearlyCapFen,
        approvedTotalFen: budget.approvedTotalFen + approvedFen,
      }),
    });
    const after = await this.d.store.getBudget(plan.childKey, plan.year);
    return {
      claim: {
        ...claim,
        status: 'approved',
        approvedFen,
        settlementMonth,
        decidedAt: nowIso,
        decidedBy: actor.sub,
      },
      budget: after ? viewBudget(after) : null,
    };
  }

  /** A one-off item: its own cap, once per child and year (held by the store's condition). */
  private async approveItem(
    actor: Actor,
    plan: AidPlan,
    claim: ServiceClaim,
    budget: ChildBudget,
    approvedFen: number,
  ): Promise<{ claim: ServiceClaim; budget: BudgetView | null }> {
    const item = claim.item as OneOffItem;
    const capFen = await this.itemCap(plan, item);
    const already = budget.items?.[item];
    if (already !== undefined || approvedFen > capFen) {
      throw new ItemCapExceededError(item, capFen, already ?? 0, approvedFen);
    }
    const now = this.d.clock.now();
    const nowIso = now.toISOString();
    const settlementMonth = chinaMonth(now);
    await this.d.store.approveClaim({
      claim,
      approvedFen,
      caps: { monthlyCapFen: budget.monthlyCapFen, yearlyCapFen: budget.yearlyCapFen },
      item: { id: item, capFen },
      childKey: plan.childKey,
      year: plan.year,
      settlementMonth,
      at: nowIso,
      by: actor.sub,
      event: this.event(plan.planId, 'claim-approved', actor, {
        claimId: claim.claimId,
        month: claim.month,
        item,
        approvedFen,
        settlementMonth,
        itemCapFen: capFen,
      }),
    });
    const after = await this.d.store.getBudget(plan.childKey, plan.year);
    return {
      claim: {
        ...claim,
        status: 'approved',
        approvedFen,
        settlementMonth,
        decidedAt: nowIso,
        decidedBy: actor.sub,
      },
      budget: after ? viewBudget(after) : null,
    };
  }

  // ── settlements ──────────────────────────────────────────────────────────────────────────

  async settlements(actor: Actor, month: string): Promise<Settlement[]> {
    const institution = institutionOf(actor);
    if (institution) {
      const own = await this.d.store.getSettlement(institution, month);
      return own ? [own] : [];
    }
    this.requireFinanceReader(actor);
    return this.d.store.listSettlements(month);
  }

  /** One institution's statement for a month: the record and every claim booked into it. */
  async settlement(
    actor: Actor,
    institution: string,
    month: string,
  ): Promise<{ settlement: Settlement; claims: ServiceClaim[] }> {
    if (institutionOf(actor) !== institution) this.requireFinanceReader(actor);
    const settlement = await this.d.store.getSettlement(institution, month);
    if (!settlement) throw notFound();
    return { settlement, claims: await this.d.store.listSettledClaims(institution, month) };
  }

  /** Freezes a month's settlement once the month is over; finance pays what it shows. */
  async closeSettlement(actor: Actor, institution: string, month: string): Promise<Settlement> {
    if (!isCity(actor)) throw new ForbiddenError(t('只有市残联可以结算', 'Only the city DPF settles'));
    if (month >= chinaMonth(this.d.clock.now())) {
      throw new RehabConflictError(
        'MONTH_NOT_ENDED',
        t('该月尚未结束，不能结算', 'The month is not over yet and cannot be settled'),
      );
    }
    return this.d.store.advanceSettlement(institution, month, 'open', {
      status: 'closed',
      closedAt: this.d.clock.now().toISOString(),
      closedBy: actor.sub,
    });
  }

  async markPaid(
    actor: Actor,
    institution: string,
    month: string,
    paymentReference: string,
  ): Promise<Settlement> {
    if (!isCity(actor))
      throw new ForbiddenError(t('只有市残联可以登记付款', 'Only the city DPF records payments'));
    return this.d.store.advanceSettlement(institution, month, 'closed', {
      status: 'paid',
      paidAt: this.d.clock.now().toISOString(),
      paidBy: actor.sub,
      paymentReference,
    });
  }

  // ── access ───────────────────────────────────────────────────────────────────────────────

  private requireFinanceReader(actor: Actor) {
    if (!isCity(actor) && actor.role !== 'auditor' && actor.role !== 'admin') {
      throw new ForbiddenError(t('无权查看结算', 'You may not see settlements'));
    }
  }

  /** A rehab-aid application the actor may read (engine rules); others get 404. */
  private async readableApp(actor: Actor, appId: string): Promise<Application> {
    const app = await this.d.apps.get(appId);
    if (!app || app.service !== REHAB_SERVICE_ID || !canRead(rehabAid, app, actor)) throw notFound();
    return app;
  }

  private async ownApp(actor: Actor, appId: string): Promise<Application> {
    if (actor.role !== 'parent')
      throw new ForbiddenError(t('只有申请人可以操作', 'Only the applicant can do this'));
    return this.readableApp(actor, appId);
  }

  private async readablePlan(actor: Actor, planId: string): Promise<AidPlan> {
    const plan = await this.d.store.getPlan(planId);
    if (!plan) throw notFound();
    const allowed =
      (actor.role === 'parent' && actor.sub === plan.applicant) ||
      isCity(actor) ||
      (actor.role === 'caseworker' && actor.agency === 'dpf-township' && actor.township === plan.township) ||
      institutionOf(actor) === plan.institution ||
      actor.role === 'auditor' ||
      actor.role === 'admin';
    if (!allowed) throw notFound();
    return plan;
  }

  private event(
    appId: string,
    type: RehabEventType,
    actor: Actor,
    data: Record<string, string | number | boolean>,
  ): RehabEvent {
    return {
      eventId: this.d.ids.newId(),
      appId,
      service: REHAB_SERVICE_ID,
      type,
      at: this.d.clock.now().toISOString(),
      actor: { sub: actor.sub, role: actor.role, agency: actor.agency },
      data,
    };
  }
}

function viewPlan(plan: AidPlan): PlanView {
  const { childKey: _, ...rest } = plan;
  return rest;
}

function viewBudget(b: ChildBudget): BudgetView {
  return {
    year: b.year,
    monthlyCapFen: b.monthlyCapFen,
    yearlyCapFen: b.yearlyCapFen,
    approvedTotalFen: b.approvedTotalFen,
    remainingFen: Math.max(0, b.yearlyCapFen - b.approvedTotalFen),
    months: b.months,
    items: b.items ?? {},
    standardVersion: b.standardVersion,
  };
}
