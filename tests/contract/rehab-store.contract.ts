/**
 * The contract of the rehab-aid module's RehabStore (functions/services/rehab-aid/ports.ts): its
 * documents' limit, plans and the per-child budget, the caps a claim approval may never pass, the
 * monthly settlements, aid standards, the retention job's listing, and its events joining the
 * application's kernel-numbered history. One suite, run against the in-memory fake (unit
 * project) and the DynamoDB store on DynamoDB Local (integration project); where they disagreed,
 * the DynamoDB store was right and the fake was mended.
 *
 * Tests own their applications, children, institutions and aid years (fresh ids), so they share
 * one store; global listings are read for the test's own entries, or at instants before any other.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Application, DomainEvent } from '#core/engine/types';
import { NotFoundError, VersionConflictError } from '#core/errors';
import type { ApplicationRepository } from '#core/ports';
import { CapExceededError, TooManyDocumentsError } from '#services/rehab-aid/errors';
import type { RehabStore } from '#services/rehab-aid/ports';
import { type AidStandard, type InstitutionRecord, seedStandards } from '#services/rehab-aid/reference';
import type {
  AidPlan,
  ChildBudget,
  RehabDocument,
  RehabEvent,
  RehabEventType,
  ServiceClaim,
} from '#services/rehab-aid/types';

export interface RehabStoreUnderTest {
  store: RehabStore;
  /** the applications whose histories the store's events join */
  apps: ApplicationRepository;
  drop?: () => Promise<void>;
}

const SERVICE = 'rehab-aid';
const T0 = Date.parse('2026-11-25T01:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const city = { sub: 'cw-dpf-city', role: 'caseworker' as const, agency: 'dpf-city' };
const CAPS = { monthlyCapFen: 300_000, yearlyCapFen: 1_000_000 };

function event(appId: string, type: RehabEventType, data: RehabEvent['data'] = {}): RehabEvent {
  return { eventId: ulid(), appId, service: SERVICE, type, at: at(1), actor: city, data };
}

function rehabApplication(over: Partial<Application> = {}): Application {
  return {
    id: ulid(),
    service: SERVICE,
    applicant: 'parent-a',
    status: 'in-progress',
    form: {},
    steps: {},
    label: '陈*乐 · 康复救助（听力）',
    version: 1,
    eventSeq: 1,
    createdAt: at(0),
    updatedAt: at(0),
    ...over,
  };
}

function document(appId: string, over: Partial<RehabDocument> = {}): RehabDocument {
  const documentId = over.documentId ?? ulid();
  return {
    documentId,
    appId,
    kind: 'diagnosis',
    contentType: 'application/pdf',
    size: 1024,
    status: 'awaiting-upload',
    objectKey: `rehab/${appId}/${documentId}`,
    createdAt: at(1),
    createdBy: 'parent-a',
    uploadExpiresAt: at(16),
    ...over,
  };
}

function aidPlan(planId: string, over: Partial<AidPlan> = {}): AidPlan {
  return {
    planId,
    applicant: 'parent-a',
    childKey: `child-${ulid()}`,
    label: '陈*乐 · 康复救助（听力）',
    township: 'liushi',
    category: 'hearing',
    ageBand: '0-6',
    year: 2026,
    institution: `inst-${ulid()}`,
    standardVersion: '2026.1',
    ...CAPS,
    sessionsPerMonth: 12,
    kind: 'new',
    status: 'active',
    createdAt: at(1),
    updatedAt: at(1),
    ...over,
  };
}

function budgetOf(plan: AidPlan): ChildBudget {
  return {
    childKey: plan.childKey,
    year: plan.year,
    monthlyCapFen: plan.monthlyCapFen,
    yearlyCapFen: plan.yearlyCapFen,
    approvedTotalFen: 0,
    months: {},
    items: {},
    activePlanId: plan.planId,
    standardVersion: plan.standardVersion,
    updatedAt: plan.createdAt,
  };
}

function serviceClaim(plan: AidPlan, month: string, amountFen: number, over: Partial<ServiceClaim> = {}) {
  const claim: ServiceClaim = {
    claimId: ulid(),
    planId: plan.planId,
    institution: plan.institution,
    label: plan.label,
    month,
    sessions: 10,
    amountFen,
    status: 'filed',
    filedAt: at(2),
    filedBy: `cw-${plan.institution}`,
    ...over,
  };
  return claim;
}

export function describeRehabStoreContract(name: string, make: () => Promise<RehabStoreUnderTest>): void {
  describe(`RehabStore contract (${name})`, () => {
    let impl: RehabStoreUnderTest;
    let store: RehabStore;
    beforeAll(async () => {
      impl = await make();
      store = impl.store;
    });
    afterAll(async () => {
      await impl.drop?.();
    });

    /** A submitted rehab application (one event in its history), as the kernel stores it. */
    async function application(over: Partial<Application> = {}): Promise<Application> {
      const app = rehabApplication(over);
      const submitted: DomainEvent = {
        eventId: ulid(),
        seq: 0,
        appId: app.id,
        service: SERVICE,
        type: 'submitted',
        at: app.createdAt,
        actor: { sub: app.applicant, role: 'parent' },
      };
      await impl.apps.create({ app, events: [submitted], touched: [] });
      return app;
    }

    /** An application with its active plan and a fresh budget for the plan's child and year. */
    async function planned(over: Partial<AidPlan> = {}): Promise<AidPlan> {
      const app = await application();
      const plan = aidPlan(app.id, over);
      await store.createPlan(plan, { type: 'create', budget: budgetOf(plan) }, [
        event(plan.planId, 'institution-chosen'),
      ]);
      return plan;
    }

    async function filed(plan: AidPlan, month: string, amountFen: number, over: Partial<ServiceClaim> = {}) {
      const claim = serviceClaim(plan, month, amountFen, over);
      await store.fileClaim(claim, event(plan.planId, 'claim-filed', { claimId: claim.claimId }));
      return claim;
    }

    function approve(
      plan: AidPlan,
      claim: ServiceClaim,
      settlementMonth = '2026-11',
      fen = claim.amountFen,
      itemCapFen?: number,
    ) {
      return store.approveClaim({
        claim,
        approvedFen: fen,
        caps: { monthlyCapFen: plan.monthlyCapFen, yearlyCapFen: plan.yearlyCapFen },
        item: claim.item && itemCapFen !== undefined ? { id: claim.item, capFen: itemCapFen } : undefined,
        childKey: plan.childKey,
        year: plan.year,
        settlementMonth,
        at: at(3),
        by: city.sub,
        event: event(plan.planId, 'claim-approved', { claimId: claim.claimId, approvedFen: fen }),
      });
    }

    const history = async (appId: string) => (await impl.apps.listEvents(appId)).map((e): string => e.type);

    describe('documents', () => {
      it("lists an application's documents by id, and returns one by id", async () => {
        const app = await application();
        const [a, b] = [document(app.id, { documentId: '01B' }), document(app.id, { documentId: '01A' })];
        for (const d of [a, b]) {
          await store.createDocument(d, event(app.id, 'document-requested'), { max: 20, held: 0 });
        }
        expect(await store.listDocuments(app.id)).toEqual([b, a]);
        expect(await store.getDocument(app.id, '01B')).toEqual(a);
        expect(await store.getDocument(app.id, '01C')).toBeNull();
      });

      it('refuses a document id twice, and keeps the first', async () => {
        const app = await application();
        const first = document(app.id);
        await store.createDocument(first, event(app.id, 'document-requested'), { max: 20, held: 0 });
        const again = { ...first, kind: 'hukou' as const };
        await expect(
          store.createDocument(again, event(app.id, 'document-requested'), { max: 20, held: 1 }),
        ).rejects.toBeInstanceOf(VersionConflictError);
        expect(await store.getDocument(app.id, first.documentId)).toEqual(first);
        expect(await history(app.id)).toEqual(['submitted', 'document-requested']);
      });

      it('holds at most `max` documents, and a refused one gives its place back', async () => {
        const app = await application();
        const limit = { max: 2, held: 0 };
        const first = document(app.id);
        await store.createDocument(first, event(app.id, 'document-requested'), limit);
        await store.createDocument(document(app.id), event(app.id, 'document-requested'), limit);
        const third = document(app.id);
        await expect(
          store.createDocument(third, event(app.id, 'document-requested'), limit),
        ).rejects.toBeInstanceOf(TooManyDocumentsError);
        expect(await store.getDocument(app.id, third.documentId)).toBeNull();
        await store.finishDocument(
          { ...first, status: 'refused', refusedReason: 'type-mismatch' },
          event(app.id, 'document-refused'),
        );
        await store.createDocument(third, event(app.id, 'document-requested'), limit);
        expect(await store.getDocument(app.id, third.documentId)).toEqual(third);
      });

      it('counts documents from before the count by what the caller read', async () => {
        const app = await application();
        const limit = { max: 3, held: 2 };
        await store.createDocument(document(app.id), event(app.id, 'document-requested'), limit);
        await expect(
          store.createDocument(document(app.id), event(app.id, 'document-requested'), limit),
        ).rejects.toBeInstanceOf(TooManyDocumentsError);
      });

      it('finishes an upload once', async () => {
        const app = await application();
        const doc = document(app.id);
        await store.createDocument(doc, event(app.id, 'document-requested'), { max: 20, held: 0 });
        const uploaded = { ...doc, status: 'uploaded' as const, uploadedAt: at(5) };
        await store.finishDocument(uploaded, event(app.id, 'document-uploaded'));
        await expect(
          store.finishDocument({ ...doc, status: 'refused' }, event(app.id, 'document-refused')),
        ).rejects.toMatchObject({ code: 'INVALID_STATE' });
        expect(await store.getDocument(app.id, doc.documentId)).toEqual(uploaded);
        expect(await history(app.id)).toEqual(['submitted', 'document-requested', 'document-uploaded']);
      });

      it('purges documents with one event, and refuses to purge a purged one again', async () => {
        const app = await application();
        const docs = [document(app.id), document(app.id)];
        for (const d of docs) {
          await store.createDocument(d, event(app.id, 'document-requested'), { max: 20, held: 0 });
        }
        const purged = docs.map((d) => ({ ...d, status: 'purged' as const, purgedAt: at(9) }));
        await store.purgeDocuments(app.id, purged, event(app.id, 'documents-purged'));
        expect(await store.listDocuments(app.id)).toEqual(
          [...purged].sort((a, b) => (a.documentId < b.documentId ? -1 : 1)),
        );
        await expect(
          store.purgeDocuments(app.id, purged, event(app.id, 'documents-purged')),
        ).rejects.toMatchObject({ code: 'INVALID_STATE' });
        expect((await history(app.id)).filter((t) => t === 'documents-purged')).toHaveLength(1);
      });
    });

    describe("the application's history", () => {
      it("numbers the store's events on from the kernel's, without gaps", async () => {
        const app = await application();
        await store.appendEvent(event(app.id, 'document-viewed', { documentId: 'd1' }));
        await store.appendEvent(event(app.id, 'document-viewed', { documentId: 'd2' }));
        const events = await impl.apps.listEvents(app.id);
        expect(events.map((e) => [e.seq, e.type])).toEqual([
          [0, 'submitted'],
          [1, 'document-viewed'],
          [2, 'document-viewed'],
        ]);
        expect((await impl.apps.get(app.id))?.eventSeq).toBe(3);
      });

      it('moves the application on, so a transition read before the event conflicts', async () => {
        const app = await application();
        await store.appendEvent(event(app.id, 'document-viewed', { documentId: 'd1' }));
        const stale = { ...app, version: app.version + 1, eventSeq: 2, label: '过时' };
        const staleEvent: DomainEvent = {
          eventId: ulid(),
          seq: 1,
          appId: app.id,
          service: SERVICE,
          type: 'withdrawn',
          at: at(2),
          actor: { sub: 'parent-a', role: 'parent' },
        };
        await expect(
          impl.apps.save({ app: stale, events: [staleEvent], touched: [] }, app.version),
        ).rejects.toBeInstanceOf(VersionConflictError);
        expect((await impl.apps.get(app.id))?.label).toBe(app.label);
      });

      it('refuses an event of an application it does not know, and stores nothing of the change', async () => {
        const plan = aidPlan(ulid());
        const claim = serviceClaim(plan, '2026-10', 10_000);
        await expect(
          store.fileClaim(claim, event(plan.planId, 'claim-filed', { claimId: claim.claimId })),
        ).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.getClaim(plan.planId, claim.claimId)).toBeNull();
      });
    });

    describe('aid standards', () => {
      it('publishes a version only on top of the current one, and keeps every version', async () => {
        const year = 2090;
        const seed: AidStandard = { ...(seedStandards[0] as AidStandard), year, version: 1, id: `${year}.1` };
        expect(await store.currentStandard(year)).toBeNull();
        const v2 = { ...seed, version: 2, id: `${year}.2`, publishedBy: 'admin-1' };
        await store.publishStandard(v2, 0, seed);
        expect(await store.currentStandard(year)).toEqual(v2);
        expect(await store.standardVersion(year, 1)).toEqual(seed);
        const v3 = { ...v2, version: 3, id: `${year}.3` };
        await expect(store.publishStandard(v3, 1)).rejects.toMatchObject({ code: 'STANDARD_CHANGED' });
        expect(await store.currentStandard(year)).toEqual(v2);
        await store.publishStandard(v3, 2);
        expect(await store.currentStandard(year)).toEqual(v3);
        expect(await store.standardVersion(year, 2)).toEqual(v2);
      });
    });

    describe('designated institutions', () => {
      const record = (
        id: string,
        version: number,
        over: Partial<InstitutionRecord> = {},
      ): InstitutionRecord => ({
        id,
        name: { 'zh-CN': '契约测试康复中心', en: 'Contract test centre' },
        township: 'liushi',
        categories: ['autism', 'speech'],
        ages: [0, 14],
        status: 'active',
        effectiveFrom: '2026-01-01',
        version,
        updatedAt: at(version),
        updatedBy: 'admin-1',
        ...over,
      });

      it('stores each version on top of the one before, lists the current ones and keeps the history', async () => {
        const id = `inst-${ulid().toLowerCase().slice(-10)}`;
        expect(await store.getInstitution(id)).toBeNull();
        await store.putInstitution(record(id, 1));
        await expect(store.putInstitution(record(id, 1))).rejects.toMatchObject({
          code: 'INSTITUTION_CHANGED',
        });
        await expect(store.putInstitution(record(id, 3))).rejects.toMatchObject({
          code: 'INSTITUTION_CHANGED',
        });
        const v2 = record(id, 2, { status: 'suspended', suspendedReason: '整改' });
        await store.putInstitution(v2);
        expect(await store.getInstitution(id)).toEqual(v2);
        expect((await store.listInstitutions()).filter((i) => i.id === id)).toEqual([v2]);
        expect((await store.institutionHistory(id)).map((r) => [r.version, r.status])).toEqual([
          [1, 'active'],
          [2, 'suspended'],
        ]);
      });

      it('lets one of five admins saving the same version at once win, and keeps one history entry', async () => {
        const id = `inst-${ulid().toLowerCase().slice(-10)}`;
        await store.putInstitution(record(id, 1));
        const results = await Promise.allSettled(
          [1, 2, 3, 4, 5].map((n) => store.putInstitution(record(id, 2, { ages: [0, n] }))),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(await store.institutionHistory(id)).toHaveLength(2);
        const winner = (await store.getInstitution(id)) as InstitutionRecord;
        expect((await store.institutionHistory(id)).at(-1)).toEqual(winner);
      });
    });

    describe('plans and budgets', () => {
      it('creates a plan with the budget of its child and year, and its event', async () => {
        const plan = await planned();
        expect(await store.getPlan(plan.planId)).toEqual(plan);
        expect(await store.getBudget(plan.childKey, plan.year)).toEqual(budgetOf(plan));
        expect(await history(plan.planId)).toEqual(['submitted', 'institution-chosen']);
      });

      it('refuses a second plan for the application, or for the child and year, storing none of it', async () => {
        const plan = await planned();
        await expect(
          store.createPlan({ ...plan, institution: 'other' }, { type: 'create', budget: budgetOf(plan) }, []),
        ).rejects.toMatchObject({ code: 'PLAN_EXISTS' });
        const app = await application();
        const second = aidPlan(app.id, { childKey: plan.childKey });
        await expect(
          store.createPlan(second, { type: 'create', budget: budgetOf(second) }, [
            event(app.id, 'institution-chosen'),
          ]),
        ).rejects.toMatchObject({ code: 'PLAN_EXISTS_FOR_YEAR' });
        expect(await store.getPlan(second.planId)).toBeNull();
        expect(await store.getBudget(plan.childKey, plan.year)).toEqual(budgetOf(plan));
        expect(await history(app.id)).toEqual(['submitted']);
      });

      it("moves the child's budget to a new plan from the active one, superseding it", async () => {
        const first = await planned();
        const app = await application();
        const next = aidPlan(app.id, {
          childKey: first.childKey,
          kind: 'change-institution',
          previousPlanId: first.planId,
          createdAt: at(4),
          updatedAt: at(4),
        });
        await store.createPlan(
          next,
          { type: 'switch', childKey: first.childKey, year: first.year, fromPlanId: first.planId },
          [event(app.id, 'institution-chosen'), event(first.planId, 'plan-superseded')],
          first,
        );
        expect(await store.getPlan(first.planId)).toEqual({
          ...first,
          status: 'superseded',
          supersededBy: next.planId,
          updatedAt: at(4),
        });
        expect(await store.getBudget(first.childKey, first.year)).toEqual({
          ...budgetOf(first),
          activePlanId: next.planId,
          updatedAt: at(4),
        });
        expect(await history(first.planId)).toEqual(['submitted', 'institution-chosen', 'plan-superseded']);
      });

      it('changes nothing when the plan it would supersede is no longer active', async () => {
        const first = await planned();
        const other = await planned();
        await store.createPlan(
          aidPlan((await application()).id, { childKey: other.childKey }),
          { type: 'switch', childKey: other.childKey, year: other.year, fromPlanId: other.planId },
          [],
          other,
        );
        const app = await application();
        const next = aidPlan(app.id, { childKey: first.childKey });
        await expect(
          store.createPlan(
            next,
            { type: 'switch', childKey: first.childKey, year: first.year, fromPlanId: first.planId },
            [event(app.id, 'institution-chosen')],
            other,
          ),
        ).rejects.toMatchObject({ code: 'PLAN_CHANGED' });
        expect(await store.getBudget(first.childKey, first.year)).toEqual(budgetOf(first));
        expect(await store.getPlan(next.planId)).toBeNull();
      });

      it('refuses to move a budget from a plan that is not the active one', async () => {
        const first = await planned();
        const app = await application();
        await expect(
          store.createPlan(
            aidPlan(app.id, { childKey: first.childKey }),
            { type: 'switch', childKey: first.childKey, year: first.year, fromPlanId: ulid() },
            [],
          ),
        ).rejects.toMatchObject({ code: 'PLAN_CHANGED' });
        expect((await store.getBudget(first.childKey, first.year))?.activePlanId).toBe(first.planId);
      });

      it("lists an institution's plans newest aid year first", async () => {
        const institution = `inst-${ulid()}`;
        const old = await planned({ institution, year: 2025 });
        const current = await planned({ institution, year: 2026 });
        await planned();
        expect((await store.listPlansByInstitution(institution)).map((p) => p.planId)).toEqual([
          current.planId,
          old.planId,
        ]);
      });
    });

    describe('claims', () => {
      it("files claims once each and lists a plan's claims by id", async () => {
        const plan = await planned();
        const a = await filed(plan, '2026-09', 10_000);
        const b = await filed(plan, '2026-10', 20_000);
        await expect(
          store.fileClaim({ ...a, amountFen: 1 }, event(plan.planId, 'claim-filed', { claimId: a.claimId })),
        ).rejects.toBeInstanceOf(VersionConflictError);
        expect(await store.getClaim(plan.planId, a.claimId)).toEqual(a);
        expect(await store.listClaimsOfPlan(plan.planId)).toEqual(
          [a, b].sort((x, y) => (x.claimId < y.claimId ? -1 : 1)),
        );
      });

      it('lists claims of a status oldest filed first, up to the limit', async () => {
        // filed before any other claim in the store, so the listing's head holds only these
        const plan = await planned();
        const late = await filed(plan, '2026-01', 1_000, { filedAt: '2001-01-03T00:00:00.000Z' });
        const early = await filed(plan, '2026-01', 1_000, { filedAt: '2001-01-01T00:00:00.000Z' });
        const middle = await filed(plan, '2026-01', 1_000, { filedAt: '2001-01-02T00:00:00.000Z' });
        expect((await store.listClaimsByStatus('filed', 2)).map((c) => c.claimId)).toEqual([
          early.claimId,
          middle.claimId,
        ]);
        expect((await store.listClaimsByStatus('filed')).map((c) => c.claimId)).toContain(late.claimId);
      });

      it("approves a claim into the budget and the institution's settlement of the month", async () => {
        const plan = await planned();
        const a = await filed(plan, '2026-09', 100_000);
        const b = await filed(plan, '2026-10', 50_000);
        await approve(plan, a, '2026-11');
        await approve(plan, b, '2026-11');
        expect(await store.getClaim(plan.planId, a.claimId)).toEqual({
          ...a,
          status: 'approved',
          approvedFen: 100_000,
          settlementMonth: '2026-11',
          decidedAt: at(3),
          decidedBy: city.sub,
        });
        expect(await store.getBudget(plan.childKey, plan.year)).toMatchObject({
          approvedTotalFen: 150_000,
          months: { '2026-09': 100_000, '2026-10': 50_000 },
        });
        expect(await store.getSettlement(plan.institution, '2026-11')).toEqual({
          institution: plan.institution,
          month: '2026-11',
          status: 'open',
          totalFen: 150_000,
          claimCount: 2,
        });
        expect((await store.listSettledClaims(plan.institution, '2026-11')).map((c) => c.claimId)).toEqual(
          [a.claimId, b.claimId].sort(),
        );
        const approved = (await store.listClaimsByStatus('approved', 10_000)).map((c) => c.claimId);
        expect(approved).toEqual(expect.arrayContaining([a.claimId, b.claimId]));
        const stillFiled = (await store.listClaimsByStatus('filed', 10_000)).map((c) => c.claimId);
        expect(stillFiled).not.toContain(a.claimId);
        expect(await history(plan.planId)).toEqual([
          'submitted',
          'institution-chosen',
          'claim-filed',
          'claim-filed',
          'claim-approved',
          'claim-approved',
        ]);
      });

      it('approves a claim once only', async () => {
        const plan = await planned();
        const claim = await filed(plan, '2026-05', 100_000);
        await approve(plan, claim);
        await expect(approve(plan, claim)).rejects.toMatchObject({ code: 'CLAIM_DECIDED' });
        expect((await store.getBudget(plan.childKey, plan.year))?.approvedTotalFen).toBe(100_000);
      });

      it('never passes the yearly cap, and changes nothing when it would', async () => {
        const plan = await planned({ monthlyCapFen: 300_000, yearlyCapFen: 500_000 });
        await approve(plan, await filed(plan, '2026-01', 300_000));
        const over = await filed(plan, '2026-02', 250_000);
        const refused = await approve(plan, over).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(CapExceededError);
        expect(refused).toMatchObject({ code: 'YEARLY_CAP_EXCEEDED', capFen: 500_000, approvedFen: 300_000 });
        expect((await store.getClaim(plan.planId, over.claimId))?.status).toBe('filed');
        expect(await store.getBudget(plan.childKey, plan.year)).toMatchObject({
          approvedTotalFen: 300_000,
          months: { '2026-01': 300_000 },
        });
        expect((await store.getSettlement(plan.institution, '2026-11'))?.totalFen).toBe(300_000);
        await approve(plan, over, '2026-11', 200_000);
        expect((await store.getBudget(plan.childKey, plan.year))?.approvedTotalFen).toBe(500_000);
      });

      it('approves a one-off item beyond the monthly and yearly caps, once per child and year, under concurrency', async () => {
        const plan = await planned({ monthlyCapFen: 240_000, yearlyCapFen: 2_400_000 });
        await approve(plan, await filed(plan, '2026-02', 200_000));
        const implants = await Promise.all(
          [0, 1, 2].map(() => filed(plan, '2026-03', 5_500_000, { item: 'cochlear-implant', sessions: 0 })),
        );
        const results = await Promise.allSettled(
          implants.map((c) => approve(plan, c, '2026-11', c.amountFen, 6_000_000)),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results.filter((r) => r.status === 'rejected')) {
          expect((r as PromiseRejectedResult).reason).toMatchObject({
            code: 'ITEM_CAP_EXCEEDED',
            approvedFen: 5_500_000,
          });
        }
        expect(await store.getBudget(plan.childKey, plan.year)).toMatchObject({
          approvedTotalFen: 200_000,
          months: { '2026-02': 200_000 },
          items: { 'cochlear-implant': 5_500_000 },
        });
        // the item is settled with the institution like a month of training
        expect((await store.getSettlement(plan.institution, '2026-11'))?.totalFen).toBe(5_700_000);
        const over = await filed(plan, '2026-03', 700_000, { item: 'hearing-aid', sessions: 0 });
        await expect(approve(plan, over, '2026-11', 700_000, 600_000)).rejects.toMatchObject({
          code: 'ITEM_CAP_EXCEEDED',
        });
        expect((await store.getClaim(plan.planId, over.claimId))?.status).toBe('filed');
      });

      it('never passes the monthly cap of the service month', async () => {
        const plan = await planned({ monthlyCapFen: 100_000, yearlyCapFen: 1_000_000 });
        await approve(plan, await filed(plan, '2026-03', 60_000));
        const over = await filed(plan, '2026-03', 50_000);
        await expect(approve(plan, over)).rejects.toMatchObject({
          code: 'MONTHLY_CAP_EXCEEDED',
          capFen: 100_000,
          approvedFen: 60_000,
        });
        await approve(plan, await filed(plan, '2026-04', 50_000));
        expect((await store.getBudget(plan.childKey, plan.year))?.months).toEqual({
          '2026-03': 60_000,
          '2026-04': 50_000,
        });
      });

      it('refuses an approval checked against caps the budget no longer has', async () => {
        const plan = await planned();
        const claim = await filed(plan, '2026-06', 10_000);
        const changed = { ...plan, yearlyCapFen: plan.yearlyCapFen + 100_000 };
        await expect(approve(changed, claim)).rejects.toBeInstanceOf(VersionConflictError);
        expect((await store.getClaim(plan.planId, claim.claimId))?.status).toBe('filed');
      });

      it('refuses an approval for a child without a budget', async () => {
        const plan = await planned();
        const claim = await filed(plan, '2026-06', 10_000);
        await expect(approve({ ...plan, childKey: `child-${ulid()}` }, claim)).rejects.toMatchObject({
          code: 'INVALID_STATE',
        });
        expect((await store.getClaim(plan.planId, claim.claimId))?.status).toBe('filed');
      });

      it('refuses approvals into a closed settlement', async () => {
        const plan = await planned();
        await approve(plan, await filed(plan, '2026-03', 50_000), '2026-04');
        await store.advanceSettlement(plan.institution, '2026-04', 'open', { status: 'closed' });
        const late = await filed(plan, '2026-04', 10_000);
        await expect(approve(plan, late, '2026-04')).rejects.toMatchObject({ code: 'SETTLEMENT_CLOSED' });
        expect((await store.getBudget(plan.childKey, plan.year))?.approvedTotalFen).toBe(50_000);
        expect((await store.getClaim(plan.planId, late.claimId))?.status).toBe('filed');
      });

      it('rejects a filed claim with its reason, changing nothing else, and only once', async () => {
        const plan = await planned();
        const claim = await filed(plan, '2026-07', 10_000);
        const decision = {
          status: 'rejected' as const,
          reason: { code: 'sessions-not-held', note: '记录不符' },
          decidedAt: at(3),
          decidedBy: city.sub,
        };
        await store.rejectClaim(
          { ...claim, ...decision, amountFen: 99 },
          event(plan.planId, 'claim-rejected', { claimId: claim.claimId }),
        );
        expect(await store.getClaim(plan.planId, claim.claimId)).toEqual({ ...claim, ...decision });
        await expect(
          store.rejectClaim({ ...claim, ...decision }, event(plan.planId, 'claim-rejected')),
        ).rejects.toMatchObject({ code: 'CLAIM_DECIDED' });
        await expect(approve(plan, claim)).rejects.toMatchObject({ code: 'CLAIM_DECIDED' });
      });
    });

    describe('settlements', () => {
      it('moves a settlement open → closed → paid only, with the fields given', async () => {
        const plan = await planned();
        await approve(plan, await filed(plan, '2026-03', 50_000), '2026-05');
        const closed = await store.advanceSettlement(plan.institution, '2026-05', 'open', {
          status: 'closed',
          closedAt: at(10),
          closedBy: city.sub,
        });
        expect(closed).toEqual({
          institution: plan.institution,
          month: '2026-05',
          status: 'closed',
          totalFen: 50_000,
          claimCount: 1,
          closedAt: at(10),
          closedBy: city.sub,
        });
        await expect(
          store.advanceSettlement(plan.institution, '2026-05', 'open', { status: 'closed' }),
        ).rejects.toMatchObject({ code: 'SETTLEMENT_STATUS' });
        const paid = await store.advanceSettlement(plan.institution, '2026-05', 'closed', {
          status: 'paid',
          paymentReference: 'PAY-1',
        });
        expect(paid).toMatchObject({ status: 'paid', paymentReference: 'PAY-1', closedAt: at(10) });
        expect(await store.getSettlement(plan.institution, '2026-05')).toEqual(paid);
      });

      it('knows no settlement of a month without approvals', async () => {
        await expect(
          store.advanceSettlement(`inst-${ulid()}`, '2026-05', 'open', { status: 'closed' }),
        ).rejects.toMatchObject({ code: 'NOT_FOUND' });
        expect(await store.getSettlement(`inst-${ulid()}`, '2026-05')).toBeNull();
      });

      it("lists a month's settlements by institution", async () => {
        const [p, q] = [await planned(), await planned()];
        await approve(q, await filed(q, '2026-02', 10_000), '2026-06');
        await approve(p, await filed(p, '2026-02', 20_000), '2026-06');
        const mine = (await store.listSettlements('2026-06')).filter((s) =>
          [p.institution, q.institution].includes(s.institution),
        );
        expect(mine.map((s) => s.institution)).toEqual([p.institution, q.institution].sort());
      });
    });

    describe('document retention', () => {
      it('lists closed rehab applications oldest first, strictly between the marks, up to the limit', async () => {
        // closed before anything else in the store, so the listing holds only these
        const closedAt = (day: number) => `2001-01-0${day}T00:00:00.000Z`;
        const ids: string[] = [];
        for (const day of [1, 2, 3, 4]) {
          const app = await application({ status: 'withdrawn', updatedAt: closedAt(day) });
          ids.push(app.id);
        }
        await application({ status: 'completed', updatedAt: closedAt(2) });
        const key = (i: number) => `${closedAt(i + 1)}#${ids[i]}`;
        expect(await store.closedApplications('withdrawn', key(0), key(3), 10)).toEqual([
          { appId: ids[1], sortKey: key(1) },
          { appId: ids[2], sortKey: key(2) },
        ]);
        expect(await store.closedApplications('withdrawn', undefined, key(3), 2)).toEqual([
          { appId: ids[0], sortKey: key(0) },
          { appId: ids[1], sortKey: key(1) },
        ]);
        expect(await store.closedApplications('withdrawn', key(3), key(1), 10)).toEqual([]);
      });

      it('keeps the furthest retention mark', async () => {
        const status = 'rejected';
        await store.setRetentionMark(status, '2001-01-02#b');
        await store.setRetentionMark(status, '2001-01-01#a');
        expect(await store.retentionMark(status)).toBe('2001-01-02#b');
        await store.setRetentionMark(status, '2001-01-03#c');
        expect(await store.retentionMark(status)).toBe('2001-01-03#c');
      });
    });
  });
}
