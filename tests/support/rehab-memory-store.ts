/**
 * In-memory RehabStore and DocumentStorage with the same rules as the DynamoDB and S3 adapters
 * (conditions, caps, one settlement per institution and month), for core unit tests. The store
 * writes its events into the applications' histories of the MemoryRepository it is given, as the
 * DynamoDB store does in the shared table; the same contract suite runs on both
 * (tests/contract/rehab-store.contract.ts).
 */

import type { DomainEvent, PendingEvent } from '#core/engine/types';
import {
  CapExceededError,
  ItemCapExceededError,
  RehabConflictError,
  TooManyDocumentsError,
} from '#services/rehab-aid/errors';
import type {
  BudgetChange,
  ClaimApproval,
  DocumentStorage,
  RehabStore,
  StoredObject,
  UploadTicket,
} from '#services/rehab-aid/ports';
import {
  type AidStandard,
  INSTITUTION_ORG_TYPE,
  type InstitutionRecord,
} from '#services/rehab-aid/reference';
import type {
  AidPlan,
  ChildBudget,
  ClaimStatus,
  DocumentType,
  RehabDocument,
  RehabEvent,
  ServiceClaim,
  Settlement,
} from '#services/rehab-aid/types';
import { InvalidStateError, NotFoundError, VersionConflictError } from '../../functions/core/errors.ts';
import { t } from '../../functions/core/i18n.ts';
import type { MemoryRepository } from './memory-repo.ts';

const copy = <T>(v: T): T => structuredClone(v);
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** the shape of a claim's decision the store writes (the rest of a claim never changes) */
const DECISION = ['status', 'reason', 'decidedAt', 'decidedBy'] as const;

export class MemoryRehabStore implements RehabStore {
  documents = new Map<string, RehabDocument>();
  plans = new Map<string, AidPlan>();
  budgets = new Map<string, ChildBudget>();
  claims = new Map<string, ServiceClaim>();
  settlements = new Map<string, Settlement>();
  standards = new Map<string, AidStandard>();
  current = new Map<number, AidStandard>();
  /** documents held per application, kept like the store's count item (from `limit.held` at first) */
  held = new Map<string, number>();
  marks = new Map<string, string>();

  /** `history`: the applications whose histories the events join (and whose versions they move). */
  constructor(private readonly history: MemoryRepository) {}

  /**
   * Appends events to their applications' histories, numbered on from each application's count;
   * each application's version moves by one (a transition read before fails its version check).
   * Throws before anything changes when an application is missing; call it after every other check.
   */
  private record(events: PendingEvent[]): () => void {
    const byApp = new Map<string, PendingEvent[]>();
    for (const e of events) byApp.set(e.appId, [...(byApp.get(e.appId) ?? []), e]);
    for (const appId of byApp.keys()) {
      if (!this.history.apps.has(appId)) throw new NotFoundError(t('申请不存在', 'No such application'));
    }
    return () => {
      for (const [appId, list] of byApp) {
        const app = this.history.apps.get(appId)!;
        const first = app.eventSeq ?? this.history.events.filter((e) => e.appId === appId).length;
        list.forEach((e, i) => {
          this.history.events.push({ ...copy(e), seq: first + i } as unknown as DomainEvent);
        });
        app.eventSeq = first + list.length;
        app.version += 1;
      }
    };
  }

  async createDocument(doc: RehabDocument, event: PendingEvent, limit: { max: number; held: number }) {
    const commit = this.record([event]);
    const key = `${doc.appId}#${doc.documentId}`;
    if (this.documents.has(key)) throw new VersionConflictError();
    const held = this.held.get(doc.appId) ?? limit.held;
    if (held >= limit.max) throw new TooManyDocumentsError(limit.max);
    this.documents.set(key, copy(doc));
    this.held.set(doc.appId, held + 1);
    commit();
  }
  async getDocument(appId: string, documentId: string) {
    const doc = this.documents.get(`${appId}#${documentId}`);
    return doc ? copy(doc) : null;
  }
  /** by document id, like the records' sort keys */
  async listDocuments(appId: string) {
    return [...this.documents.values()]
      .filter((d) => d.appId === appId)
      .sort((a, b) => byKey(a.documentId, b.documentId))
      .map(copy);
  }
  async finishDocument(doc: RehabDocument, event: PendingEvent) {
    const commit = this.record([event]);
    const key = `${doc.appId}#${doc.documentId}`;
    if (this.documents.get(key)?.status !== 'awaiting-upload') {
      throw new InvalidStateError(t('该材料已处理', 'This document has been processed already'));
    }
    this.documents.set(key, copy(doc));
    // a refused document gives its place back
    if (doc.status === 'refused') this.held.set(doc.appId, (this.held.get(doc.appId) ?? 1) - 1);
    commit();
  }
  async appendEvent(event: PendingEvent) {
    this.record([event])();
  }
  async purgeDocuments(appId: string, docs: RehabDocument[], event: RehabEvent) {
    const commit = this.record([event]);
    const keyOf = (d: RehabDocument) => `${appId}#${d.documentId}`;
    if (docs.some((d) => this.documents.get(keyOf(d))?.status === 'purged')) {
      throw new InvalidStateError(t('该材料已按保存期限删除', 'This document was deleted already'));
    }
    for (const d of docs) this.documents.set(keyOf(d), copy(d));
    commit();
  }
  /** the history's rehab applications in a closed status, as the status index lists them */
  async closedApplications(status: string, after: string | undefined, before: string, limit: number) {
    return [...this.history.apps.values()]
      .filter((a) => a.service === 'rehab-aid' && a.status === status)
      .map((a) => ({ appId: a.id, sortKey: `${a.updatedAt}#${a.id}` }))
      .filter((c) => (!after || c.sortKey > after) && c.sortKey < before)
      .sort((a, b) => byKey(a.sortKey, b.sortKey))
      .slice(0, limit);
  }
  async retentionMark(status: string) {
    return this.marks.get(status);
  }
  async setRetentionMark(status: string, sortKey: string) {
    if ((this.marks.get(status) ?? '') < sortKey) this.marks.set(status, sortKey);
  }

  async currentStandard(year: number) {
    return copy(this.current.get(year) ?? null);
  }
  async standardVersion(year: number, version: number) {
    return copy(this.standards.get(`${year}.${version}`) ?? null);
  }
  async publishStandard(next: AidStandard, previousVersion: number, seed?: AidStandard) {
    if ((this.current.get(next.year)?.version ?? 0) !== previousVersion) {
      throw new RehabConflictError(
        'STANDARD_CHANGED',
        t('救助标准刚被他人更新', 'The aid standard just changed'),
      );
    }
    if (seed) this.standards.set(seed.id, copy(seed));
    this.standards.set(next.id, copy(next));
    this.current.set(next.year, copy(next));
  }

  /** institutions live in the application store's organisation records, as in the table */
  private readonly institutionVersions = new Map<string, InstitutionRecord[]>();
  async getInstitution(id: string) {
    const r = this.history.orgRecords.get(id);
    return r?.orgType === INSTITUTION_ORG_TYPE ? copy(r.institution as InstitutionRecord) : null;
  }
  async listInstitutions() {
    return [...this.history.orgRecords.values()]
      .filter((r) => r.orgType === INSTITUTION_ORG_TYPE)
      .map((r) => copy(r.institution as InstitutionRecord));
  }
  async putInstitution(record: InstitutionRecord) {
    const stored = this.history.orgRecords.get(record.id);
    const current = stored?.orgType === INSTITUTION_ORG_TYPE ? (stored.version as number) : stored ? -1 : 0;
    if (current !== record.version - 1) {
      throw new RehabConflictError(
        'INSTITUTION_CHANGED',
        t('该机构刚被他人修改', 'The institution just changed'),
      );
    }
    this.history.orgRecords.set(record.id, {
      orgType: INSTITUTION_ORG_TYPE,
      institution: copy(record),
      version: record.version,
    });
    this.institutionVersions.set(record.id, [
      ...(this.institutionVersions.get(record.id) ?? []),
      copy(record),
    ]);
  }
  async institutionHistory(id: string) {
    return copy(this.institutionVersions.get(id) ?? []);
  }

  async getPlan(planId: string) {
    return copy(this.plans.get(planId) ?? null);
  }
  async getBudget(childKey: string, year: number) {
    const budget = this.budgets.get(`${childKey}#${year}`);
    return budget ? copy({ ...budget, items: budget.items ?? {} }) : null;
  }
  /** one transaction: every condition is checked before anything changes */
  async createPlan(plan: AidPlan, budget: BudgetChange, events: RehabEvent[], supersede?: AidPlan) {
    const commit = this.record(events);
    const changed = () =>
      new RehabConflictError('PLAN_CHANGED', t('救助方案刚被更改', 'The plan just changed'));
    if (this.plans.has(plan.planId)) {
      throw new RehabConflictError('PLAN_EXISTS', t('已选择康复机构', 'The institution is chosen already'));
    }
    const key =
      budget.type === 'create'
        ? `${budget.budget.childKey}#${budget.budget.year}`
        : `${budget.childKey}#${budget.year}`;
    const current = this.budgets.get(key);
    if (budget.type === 'create' && current) {
      throw new RehabConflictError(
        'PLAN_EXISTS_FOR_YEAR',
        t('该儿童本年度已有救助方案', 'A plan exists for this year'),
      );
    }
    if (budget.type === 'switch' && current?.activePlanId !== budget.fromPlanId) throw changed();
    const prev = supersede ? this.plans.get(supersede.planId) : undefined;
    if (supersede && prev?.status !== 'active') throw changed();
    if (budget.type === 'create') this.budgets.set(key, copy(budget.budget));
    else Object.assign(current as ChildBudget, { activePlanId: plan.planId, updatedAt: plan.createdAt });
    if (prev)
      Object.assign(prev, { status: 'superseded', supersededBy: plan.planId, updatedAt: plan.createdAt });
    this.plans.set(plan.planId, copy(plan));
    commit();
  }
  /** newest aid year first, like the institution's plan index */
  async listPlansByInstitution(institution: string) {
    return [...this.plans.values()]
      .filter((p) => p.institution === institution)
      .sort((a, b) => byKey(`${b.year}#${b.planId}`, `${a.year}#${a.planId}`))
      .map(copy);
  }

  async fileClaim(claim: ServiceClaim, event: RehabEvent) {
    const commit = this.record([event]);
    const key = `${claim.planId}#${claim.claimId}`;
    if (this.claims.has(key)) throw new VersionConflictError();
    this.claims.set(key, copy(claim));
    commit();
  }
  async getClaim(planId: string, claimId: string) {
    return copy(this.claims.get(`${planId}#${claimId}`) ?? null);
  }
  /** by claim id, like the claims' sort keys */
  async listClaimsOfPlan(planId: string) {
    return [...this.claims.values()]
      .filter((c) => c.planId === planId)
      .sort((a, b) => byKey(a.claimId, b.claimId))
      .map(copy);
  }
  /** oldest filed first, up to the limit, like the claim queue index */
  async listClaimsByStatus(status: ClaimStatus, limit = 200) {
    return [...this.claims.values()]
      .filter((c) => c.status === status)
      .sort((a, b) => byKey(`${a.filedAt}#${a.claimId}`, `${b.filedAt}#${b.claimId}`))
      .slice(0, limit)
      .map(copy);
  }
  async approveClaim(a: ClaimApproval) {
    const commit = this.record([a.event]);
    const claim = this.claims.get(`${a.claim.planId}#${a.claim.claimId}`);
    if (claim?.status !== 'filed') {
      throw new RehabConflictError('CLAIM_DECIDED', t('该申报已审核', 'This claim has been decided already'));
    }
    const budget = this.budgets.get(`${a.childKey}#${a.year}`);
    if (!budget) throw new InvalidStateError(t('没有救助额度', 'No budget'));
    if (a.item) {
      // a one-off item: its own cap, once per child and year; the training caps do not apply
      const already = budget.items?.[a.item.id];
      if (already !== undefined || a.approvedFen > a.item.capFen) {
        throw new ItemCapExceededError(a.item.id, a.item.capFen, already ?? 0, a.approvedFen);
      }
    } else {
      // the caps the caller checked against must still be the budget's (the store's condition)
      if (budget.yearlyCapFen !== a.caps.yearlyCapFen || budget.monthlyCapFen !== a.caps.monthlyCapFen) {
        throw new VersionConflictError();
      }
      if (budget.approvedTotalFen + a.approvedFen > budget.yearlyCapFen) {
        throw new CapExceededError('yearly', budget.yearlyCapFen, budget.approvedTotalFen, a.approvedFen);
      }
      const inMonth = budget.months[claim.month] ?? 0;
      if (inMonth + a.approvedFen > budget.monthlyCapFen) {
        throw new CapExceededError('monthly', budget.monthlyCapFen, inMonth, a.approvedFen);
      }
    }
    const sKey = `${claim.institution}#${a.settlementMonth}`;
    const settlement = this.settlements.get(sKey);
    if (settlement && settlement.status !== 'open') {
      throw new RehabConflictError(
        'SETTLEMENT_CLOSED',
        t('本月结算已关闭', "This month's settlement is closed"),
      );
    }
    if (a.item) budget.items = { ...budget.items, [a.item.id]: a.approvedFen };
    else {
      budget.approvedTotalFen += a.approvedFen;
      budget.months[claim.month] = (budget.months[claim.month] ?? 0) + a.approvedFen;
    }
    budget.updatedAt = a.at;
    Object.assign(claim, {
      status: 'approved',
      approvedFen: a.approvedFen,
      settlementMonth: a.settlementMonth,
      decidedAt: a.at,
      decidedBy: a.by,
    });
    this.settlements.set(sKey, {
      institution: claim.institution,
      month: a.settlementMonth,
      status: 'open',
      totalFen: (settlement?.totalFen ?? 0) + a.approvedFen,
      claimCount: (settlement?.claimCount ?? 0) + 1,
    });
    commit();
  }
  async rejectClaim(claim: ServiceClaim, event: RehabEvent) {
    const commit = this.record([event]);
    const stored = this.claims.get(`${claim.planId}#${claim.claimId}`);
    if (stored?.status !== 'filed') {
      throw new RehabConflictError('CLAIM_DECIDED', t('该申报已审核', 'This claim has been decided already'));
    }
    for (const field of DECISION) Object.assign(stored, { [field]: copy(claim[field]) });
    commit();
  }

  async getSettlement(institution: string, month: string) {
    return copy(this.settlements.get(`${institution}#${month}`) ?? null);
  }
  /** by institution, like the month's settlement index */
  async listSettlements(month: string) {
    return [...this.settlements.values()]
      .filter((s) => s.month === month)
      .sort((a, b) => byKey(a.institution, b.institution))
      .map(copy);
  }
  /** by claim id, like the statement index */
  async listSettledClaims(institution: string, month: string) {
    return [...this.claims.values()]
      .filter((c) => c.institution === institution && c.settlementMonth === month)
      .sort((a, b) => byKey(a.claimId, b.claimId))
      .map(copy);
  }
  async advanceSettlement(
    institution: string,
    month: string,
    from: 'open' | 'closed',
    patch: Partial<Settlement>,
  ) {
    const s = this.settlements.get(`${institution}#${month}`);
    if (!s) throw new NotFoundError(t('该月没有结算记录', 'No settlement for this month'));
    if (s.status !== from) {
      throw new RehabConflictError(
        'SETTLEMENT_STATUS',
        t(`该结算当前状态为「${s.status}」`, `The settlement is ${s.status}`),
      );
    }
    Object.assign(s, patch);
    return copy(s);
  }
}

/** Objects kept in memory; `put` plays the browser's upload through the presigned URL. */
export class MemoryDocumentStorage implements DocumentStorage {
  objects = new Map<string, { bytes: Uint8Array; contentType: string; encryption?: string | undefined }>();
  links: Array<{ key: string; expiresInSeconds: number }> = [];

  async presignUpload(input: {
    key: string;
    contentType: DocumentType;
    size: number;
    expiresInSeconds: number;
  }): Promise<UploadTicket> {
    return {
      url: `memory://upload/${input.key}`,
      method: 'PUT',
      headers: {
        'content-type': input.contentType,
        'content-length': String(input.size),
        'x-amz-server-side-encryption': 'AES256',
      },
      expiresAt: new Date(Date.now() + input.expiresInSeconds * 1000).toISOString(),
    };
  }
  put(key: string, bytes: Uint8Array, contentType: string, opts: { encrypted?: boolean } = {}) {
    this.objects.set(key, {
      bytes,
      contentType,
      encryption: opts.encrypted === false ? undefined : 'AES256',
    });
  }
  async inspect(key: string): Promise<StoredObject | null> {
    const o = this.objects.get(key);
    return o
      ? {
          size: o.bytes.length,
          contentType: o.contentType,
          encryption: o.encryption,
          head: o.bytes.subarray(0, 16),
        }
      : null;
  }
  async remove(key: string) {
    this.objects.delete(key);
  }
  async presignDownload(input: {
    key: string;
    contentType: string;
    fileName: string;
    expiresInSeconds: number;
  }) {
    this.links.push({ key: input.key, expiresInSeconds: input.expiresInSeconds });
    return {
      url: `memory://download/${input.key}`,
      expiresAt: new Date(Date.now() + input.expiresInSeconds * 1000).toISOString(),
    };
  }
}
