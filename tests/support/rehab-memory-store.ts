/**
 * In-memory RehabStore and DocumentStorage with the same rules as the DynamoDB and S3 adapters
 * (conditions, caps, one settlement per institution and month), for core unit tests. The real
 * adapters are tested against DynamoDB Local and the local S3 server.
 */

import { CapExceededError, RehabConflictError, TooManyDocumentsError } from '#services/rehab-aid/errors';
import type {
  BudgetChange,
  ClaimApproval,
  DocumentStorage,
  RehabStore,
  StoredObject,
  UploadTicket,
} from '#services/rehab-aid/ports';
import type { AidStandard } from '#services/rehab-aid/reference';
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

const copy = <T>(v: T): T => structuredClone(v);

export class MemoryRehabStore implements RehabStore {
  documents = new Map<string, RehabDocument>();
  plans = new Map<string, AidPlan>();
  budgets = new Map<string, ChildBudget>();
  claims = new Map<string, ServiceClaim>();
  settlements = new Map<string, Settlement>();
  standards = new Map<string, AidStandard>();
  current = new Map<number, AidStandard>();
  events: RehabEvent[] = [];

  async createDocument(doc: RehabDocument, event: RehabEvent, limit: { max: number; held: number }) {
    const key = `${doc.appId}#${doc.documentId}`;
    if (this.documents.has(key)) throw new VersionConflictError();
    const held = [...this.documents.values()].filter((d) => d.appId === doc.appId && d.status !== 'refused');
    if (held.length >= limit.max) throw new TooManyDocumentsError(limit.max);
    this.documents.set(key, copy(doc));
    this.events.push(event);
  }
  async getDocument(appId: string, documentId: string) {
    const doc = this.documents.get(`${appId}#${documentId}`);
    return doc ? copy(doc) : null;
  }
  async listDocuments(appId: string) {
    return [...this.documents.values()].filter((d) => d.appId === appId).map(copy);
  }
  async finishDocument(doc: RehabDocument, event: RehabEvent) {
    const key = `${doc.appId}#${doc.documentId}`;
    if (this.documents.get(key)?.status !== 'awaiting-upload') {
      throw new InvalidStateError(t('该材料已处理', 'This document has been processed already'));
    }
    this.documents.set(key, copy(doc));
    this.events.push(event);
  }
  async appendEvent(event: RehabEvent) {
    this.events.push(event);
  }
  async purgeDocuments(appId: string, docs: RehabDocument[], event: RehabEvent) {
    const keyOf = (d: RehabDocument) => `${appId}#${d.documentId}`;
    if (docs.some((d) => this.documents.get(keyOf(d))?.status === 'purged')) {
      throw new InvalidStateError(t('该材料已按保存期限删除', 'This document was deleted already'));
    }
    for (const d of docs) this.documents.set(keyOf(d), copy(d));
    this.events.push(event);
  }
  /** closed applications as the GSI would list them; tests add to it */
  closed: Array<{ status: string; appId: string; sortKey: string }> = [];
  marks = new Map<string, string>();
  async closedApplications(status: string, after: string | undefined, before: string, limit: number) {
    return this.closed
      .filter((c) => c.status === status && (!after || c.sortKey > after) && c.sortKey < before)
      .sort((a, b) => a.sortKey.localeCompare(b.sortKey))
      .slice(0, limit)
      .map(({ appId, sortKey }) => ({ appId, sortKey }));
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

  async getPlan(planId: string) {
    return copy(this.plans.get(planId) ?? null);
  }
  async getBudget(childKey: string, year: number) {
    return copy(this.budgets.get(`${childKey}#${year}`) ?? null);
  }
  async createPlan(plan: AidPlan, budget: BudgetChange, events: RehabEvent[], supersede?: AidPlan) {
    if (this.plans.has(plan.planId)) {
      throw new RehabConflictError('PLAN_EXISTS', t('已选择康复机构', 'The institution is chosen already'));
    }
    if (budget.type === 'create') {
      const key = `${budget.budget.childKey}#${budget.budget.year}`;
      if (this.budgets.has(key)) {
        throw new RehabConflictError(
          'PLAN_EXISTS_FOR_YEAR',
          t('该儿童本年度已有救助方案', 'A plan exists for this year'),
        );
      }
      this.budgets.set(key, copy(budget.budget));
    } else {
      const key = `${budget.childKey}#${budget.year}`;
      const current = this.budgets.get(key);
      if (current?.activePlanId !== budget.fromPlanId) {
        throw new RehabConflictError('PLAN_CHANGED', t('救助方案刚被更改', 'The plan just changed'));
      }
      current.activePlanId = plan.planId;
    }
    if (supersede) {
      const prev = this.plans.get(supersede.planId);
      if (prev?.status !== 'active') {
        throw new RehabConflictError('PLAN_CHANGED', t('救助方案刚被更改', 'The plan just changed'));
      }
      Object.assign(prev, { status: 'superseded', supersededBy: plan.planId, updatedAt: plan.createdAt });
    }
    this.plans.set(plan.planId, copy(plan));
    this.events.push(...events);
  }
  async listPlansByInstitution(institution: string) {
    return [...this.plans.values()].filter((p) => p.institution === institution).map(copy);
  }

  async fileClaim(claim: ServiceClaim, event: RehabEvent) {
    this.claims.set(`${claim.planId}#${claim.claimId}`, copy(claim));
    this.events.push(event);
  }
  async getClaim(planId: string, claimId: string) {
    return copy(this.claims.get(`${planId}#${claimId}`) ?? null);
  }
  async listClaimsOfPlan(planId: string) {
    return [...this.claims.values()].filter((c) => c.planId === planId).map(copy);
  }
  async listClaimsByStatus(status: ClaimStatus) {
    return [...this.claims.values()].filter((c) => c.status === status).map(copy);
  }
  async approveClaim(a: ClaimApproval) {
    const claim = this.claims.get(`${a.claim.planId}#${a.claim.claimId}`);
    if (claim?.status !== 'filed') {
      throw new RehabConflictError('CLAIM_DECIDED', t('该申报已审核', 'This claim has been decided already'));
    }
    const budget = this.budgets.get(`${a.childKey}#${a.year}`);
    if (!budget) throw new InvalidStateError(t('没有救助额度', 'No budget'));
    if (budget.approvedTotalFen + a.approvedFen > budget.yearlyCapFen) {
      throw new CapExceededError('yearly', budget.yearlyCapFen, budget.approvedTotalFen, a.approvedFen);
    }
    const inMonth = budget.months[claim.month] ?? 0;
    if (inMonth + a.approvedFen > budget.monthlyCapFen) {
      throw new CapExceededError('monthly', budget.monthlyCapFen, inMonth, a.approvedFen);
    }
    const sKey = `${claim.institution}#${a.settlementMonth}`;
    const settlement = this.settlements.get(sKey);
    if (settlement && settlement.status !== 'open') {
      throw new RehabConflictError(
        'SETTLEMENT_CLOSED',
        t('本月结算已关闭', "This month's settlement is closed"),
      );
    }
    budget.approvedTotalFen += a.approvedFen;
    budget.months[claim.month] = inMonth + a.approvedFen;
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
    this.events.push(a.event);
  }
  async rejectClaim(claim: ServiceClaim, event: RehabEvent) {
    const stored = this.claims.get(`${claim.planId}#${claim.claimId}`);
    if (stored?.status !== 'filed') {
      throw new RehabConflictError('CLAIM_DECIDED', t('该申报已审核', 'This claim has been decided already'));
    }
    this.claims.set(`${claim.planId}#${claim.claimId}`, copy(claim));
    this.events.push(event);
  }

  async getSettlement(institution: string, month: string) {
    return copy(this.settlements.get(`${institution}#${month}`) ?? null);
  }
  async listSettlements(month: string) {
    return [...this.settlements.values()].filter((s) => s.month === month).map(copy);
  }
  async listSettledClaims(institution: string, month: string) {
    return [...this.claims.values()]
      .filter((c) => c.institution === institution && c.settlementMonth === month)
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
