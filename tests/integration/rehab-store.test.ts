/**
 * DynamoRehabStore on DynamoDB Local under concurrency: the caps hold (conditional writes in one
 * transaction with the claim's status change), settlements add up, a claim is decided once, and
 * concurrent audit events land in the application's history without gaps. What holds one call at
 * a time (conditions as domain errors, plans, settlements, standards) is the RehabStore contract
 * (tests/contract/rehab-store.contract.ts), run here on DynamoDB and on the in-memory fake.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapExceededError, RehabConflictError } from '#services/rehab-aid/errors';
import { DynamoRehabStore } from '#services/rehab-aid/store';
import type { AidPlan, ChildBudget, RehabEvent, ServiceClaim } from '#services/rehab-aid/types';
import { freshTable } from '../support/dynamo.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let store: DynamoRehabStore;

beforeAll(async () => {
  table = await freshTable('rehab');
  store = new DynamoRehabStore(table.doc, table.tableName);
});
afterAll(() => table.drop());

const at = '2026-11-25T01:00:00.000Z';
const city = { sub: 'cw-dpf-city', role: 'caseworker' as const, agency: 'dpf-city' };

function event(appId: string, type: RehabEvent['type'], data: RehabEvent['data'] = {}): RehabEvent {
  return {
    eventId: ulid(),
    appId,
    service: 'rehab-aid',
    type,
    at: new Date().toISOString(),
    actor: city,
    data,
  };
}

/** The application item a history belongs to (its event counter lives there). */
async function application(id: string) {
  await table.doc.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        pk: `APP#${id}`,
        sk: 'A',
        type: 'application',
        id,
        service: 'rehab-aid',
        version: 1,
        eventSeq: 0,
      },
    }),
  );
}

/** A plan with its budget: caps in fen. */
async function plan(caps: { monthlyCapFen: number; yearlyCapFen: number }, institution = 'yq-rehab-center') {
  const planId = ulid();
  await application(planId);
  const childKey = `child-${planId}`;
  const p: AidPlan = {
    planId,
    applicant: 'parent-a',
    childKey,
    label: '陈*乐 · 康复救助（听力）',
    township: 'liushi',
    category: 'hearing',
    ageBand: '0-6',
    year: 2026,
    institution,
    standardVersion: '2026.1',
    ...caps,
    sessionsPerMonth: 12,
    kind: 'new',
    status: 'active',
    createdAt: at,
    updatedAt: at,
  };
  const budget: ChildBudget = {
    childKey,
    year: 2026,
    ...caps,
    approvedTotalFen: 0,
    months: {},
    activePlanId: planId,
    standardVersion: '2026.1',
    updatedAt: at,
  };
  await store.createPlan(p, { type: 'create', budget }, [event(planId, 'institution-chosen')]);
  return p;
}

async function file(p: AidPlan, month: string, amountFen: number): Promise<ServiceClaim> {
  const claim: ServiceClaim = {
    claimId: ulid(),
    planId: p.planId,
    institution: p.institution,
    label: p.label,
    month,
    sessions: 10,
    amountFen,
    status: 'filed',
    filedAt: new Date().toISOString(),
    filedBy: 'cw-rehab-center',
  };
  await store.fileClaim(claim, event(p.planId, 'claim-filed', { claimId: claim.claimId }));
  return claim;
}

function approve(p: AidPlan, claim: ServiceClaim, settlementMonth = '2026-11') {
  return store.approveClaim({
    claim,
    approvedFen: claim.amountFen,
    caps: { monthlyCapFen: p.monthlyCapFen, yearlyCapFen: p.yearlyCapFen },
    childKey: p.childKey,
    year: p.year,
    settlementMonth,
    at: new Date().toISOString(),
    by: city.sub,
    event: event(p.planId, 'claim-approved', { claimId: claim.claimId, approvedFen: claim.amountFen }),
  });
}

describe('DynamoRehabStore on DynamoDB Local', () => {
  it('lets 20 concurrent approvals that together exceed the yearly cap approve only up to it', async () => {
    // yearly ¥10,000; 20 claims of ¥1,000 spread over the months, all approved at once
    const p = await plan({ monthlyCapFen: 300_000, yearlyCapFen: 1_000_000 });
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => file(p, `2026-${String((i % 10) + 1).padStart(2, '0')}`, 100_000)),
    );
    const results = await Promise.allSettled(claims.map((c) => approve(p, c)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(10);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(CapExceededError);
      expect(r.reason.code).toBe('YEARLY_CAP_EXCEEDED');
      expect(r.reason.text['zh-CN']).toContain('超过年度救助上限');
      expect(r.reason.text.en).toContain('left ¥0.00');
    }
    const budget = await store.getBudget(p.childKey, 2026);
    expect(budget?.approvedTotalFen).toBe(1_000_000);
    expect(Object.values(budget?.months ?? {}).reduce((a, b) => a + b, 0)).toBe(1_000_000);
    const statuses = (await store.listClaimsOfPlan(p.planId)).map((c) => c.status);
    expect(statuses.filter((s) => s === 'approved')).toHaveLength(10);
    expect(statuses.filter((s) => s === 'filed')).toHaveLength(10);
    const settlement = await store.getSettlement('yq-rehab-center', '2026-11');
    expect(settlement).toMatchObject({ status: 'open' });
    const statement = await store.listSettledClaims('yq-rehab-center', '2026-11');
    expect(statement.filter((c) => c.planId === p.planId).reduce((a, c) => a + (c.approvedFen ?? 0), 0)).toBe(
      1_000_000,
    );
    // n concurrent writers of one case history commit one per round: allow for a loaded machine
  }, 90_000);

  it('holds the monthly cap under concurrency too', async () => {
    const p = await plan({ monthlyCapFen: 300_000, yearlyCapFen: 3_000_000 }, 'hongqiao-rehab');
    const claims = await Promise.all(Array.from({ length: 8 }, () => file(p, '2026-07', 100_000)));
    const results = await Promise.allSettled(claims.map((c) => approve(p, c, '2026-10')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      expect(r.reason.code).toBe('MONTHLY_CAP_EXCEEDED');
    }
    const budget = await store.getBudget(p.childKey, 2026);
    expect(budget).toMatchObject({ approvedTotalFen: 300_000, months: { '2026-07': 300_000 } });
    expect(await store.getSettlement('hongqiao-rehab', '2026-10')).toMatchObject({
      totalFen: 300_000,
      claimCount: 3,
    });
  });

  it('approves a claim once only, even when two city caseworkers approve it at the same time', async () => {
    const p = await plan({ monthlyCapFen: 300_000, yearlyCapFen: 3_000_000 }, 'yq-mch-rehab');
    const claim = await file(p, '2026-05', 100_000);
    const results = await Promise.allSettled([approve(p, claim, '2026-09'), approve(p, claim, '2026-09')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(lost?.reason).toBeInstanceOf(RehabConflictError);
    expect(lost?.reason.code).toBe('CLAIM_DECIDED');
    expect((await store.getBudget(p.childKey, 2026))?.approvedTotalFen).toBe(100_000);
  });

  it('writes audit events into the application’s history, concurrently, numbered 0…n−1 without gaps', async () => {
    const appId = ulid();
    await application(appId);
    await Promise.all(
      Array.from({ length: 10 }, () =>
        store.appendEvent(event(appId, 'document-viewed', { documentId: 'd' })),
      ),
    );
    const all = await table.scanAll();
    const items = all.filter((i) => i.pk === `APP#${appId}` && String(i.sk).startsWith('E#'));
    expect(items).toHaveLength(10);
    const seqs = items.map((i) => (i.event as { seq: number }).seq).sort((a, b) => a - b);
    expect(seqs).toEqual([...Array(10).keys()]);
    expect(all.find((i) => i.pk === `APP#${appId}` && i.sk === 'A')).toMatchObject({
      eventSeq: 10,
      version: 11,
    });
    expect(items.every((i) => i.type === 'event' && (i.event as RehabEvent).type === 'document-viewed')).toBe(
      true,
    );
  });
});
