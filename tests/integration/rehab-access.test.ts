/**
 * The access-control matrix of the rehab-aid routes: every `/rehab/*` route × every role, through
 * the real handler module in-process (claims as the JWT authorizer passes them), on DynamoDB
 * Local and the local S3. The case lives in 柳市镇 and chose 乐清市残疾人康复中心.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaMonth, chinaYear } from '#services/rehab-aid/eligibility';
import { seedStandards } from '#services/rehab-aid/reference';
import { routes } from '../../functions/http/routes.ts';
import { type S3Local, startS3Local } from '../../local/s3-local.ts';
import { fixtureForm } from '../support/forms.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

const who = {
  parentA: { sub: 'parent-a', role: 'parent', email: 'a@example.com' },
  parentB: { sub: 'parent-b', role: 'parent' },
  townshipHere: { sub: 'cw-dpf-liushi', role: 'caseworker', agency: 'dpf-township', township: 'liushi' },
  townshipThere: { sub: 'cw-dpf-lecheng', role: 'caseworker', agency: 'dpf-township', township: 'lecheng' },
  city: { sub: 'cw-dpf-city', role: 'caseworker', agency: 'dpf-city' },
  institution: { sub: 'cw-rehab-center', role: 'caseworker', agency: 'rehab-institution:yq-rehab-center' },
  otherInstitution: { sub: 'cw-rehab-liushi', role: 'caseworker', agency: 'rehab-institution:liushi-xingyu' },
  auditor: { sub: 'auditor-1', role: 'auditor' },
  admin: { sub: 'admin-1', role: 'admin' },
  anonymous: null,
} satisfies Record<string, Claims | null>;
type Who = keyof typeof who;
const roles = Object.keys(who) as Who[];

const PDF = new TextEncoder().encode('%PDF-1.4\n%%EOF\n');
const month = chinaMonth(new Date());
const year = chinaYear(new Date());

let s3: S3Local;
let invoke: Awaited<ReturnType<typeof setupHandlers>>['invoke'];

/** What a cell works on: ids of the application, document, plan, claim it needs. */
interface Ctx {
  id: string;
  documentId?: string;
  planId?: string;
  claimId?: string;
}

async function ok(routeKey: string, as: Claims | null, opts: Parameters<typeof invoke>[2], status = 200) {
  const res = await invoke(routeKey, as, opts);
  expect(res.status, `${routeKey}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

async function submitted(): Promise<Ctx> {
  const form = fixtureForm('rehab-aid');
  form.application.aidYear = year;
  const app = await ok('POST /applications', who.parentA, { body: { service: 'rehab-aid', form } }, 201);
  return { id: app.id };
}

async function withUpload(ctx: Ctx, complete = true): Promise<Ctx> {
  const { document, upload } = await ok(
    'POST /rehab/applications/{id}/documents',
    who.parentA,
    { params: { id: ctx.id }, body: { kind: 'diagnosis', contentType: 'application/pdf', size: PDF.length } },
    201,
  );
  const { 'content-length': _, ...headers } = upload.headers;
  expect((await fetch(upload.url, { method: 'PUT', headers, body: PDF })).status).toBe(200);
  if (complete) {
    await ok('POST /rehab/applications/{id}/documents/{documentId}/complete', who.parentA, {
      params: { id: ctx.id, documentId: document.documentId },
      body: {},
    });
  }
  return { ...ctx, documentId: document.documentId };
}

async function atApproval(): Promise<Ctx> {
  const ctx = await submitted();
  const decide = (as: Claims, step: string, outputs: Record<string, unknown>) =>
    ok('POST /applications/{id}/steps/{step}/decision', as, {
      params: { id: ctx.id, step },
      body: { decision: 'approve', outputs },
    });
  await decide(who.townshipHere, 'township-review', { familySituation: 'dibao' });
  await decide(who.city, 'city-review', {});
  await decide(who.institution, 'assessment', {
    assessedLevel: 'mild',
    sessionsPerMonth: 8,
    plan: '言语训练每周两次',
  });
  return ctx;
}

async function approved(): Promise<Ctx> {
  const ctx = await atApproval();
  await ok('POST /rehab/applications/{id}/approve', who.city, { params: { id: ctx.id }, body: {} });
  return ctx;
}

async function fileClaim(ctx: Ctx): Promise<Ctx> {
  const claim = await ok(
    'POST /rehab/plans/{planId}/claims',
    who.institution,
    { params: { planId: ctx.planId as string }, body: { month, sessions: 2, amountFen: 1_000 } },
    201,
  );
  return { ...ctx, claimId: claim.claimId };
}

/** One child per plan: each planned case gets its own child's ID (the budget is per child-year). */
let child = 0;
async function planned(): Promise<Ctx> {
  const form = fixtureForm('rehab-aid');
  form.application.aidYear = year;
  const { makeIdNumber } = await import('#core/id-number');
  const id = makeIdNumber('330382', '2021-03-04', String(100 + ++child));
  form.child.idNumber = id;
  form.child.birthDate = '2021-03-04';
  form.disability.certificateNumber = `${id}22`;
  const app = await ok('POST /applications', who.parentA, { body: { service: 'rehab-aid', form } }, 201);
  const ctx: Ctx = { id: app.id };
  const decide = (as: Claims, step: string, outputs: Record<string, unknown>) =>
    ok('POST /applications/{id}/steps/{step}/decision', as, {
      params: { id: ctx.id, step },
      body: { decision: 'approve', outputs },
    });
  await decide(who.townshipHere, 'township-review', { familySituation: 'dibao' });
  await decide(who.city, 'city-review', {});
  await decide(who.institution, 'assessment', {
    assessedLevel: 'mild',
    sessionsPerMonth: 8,
    plan: '言语训练每周两次',
  });
  await ok('POST /rehab/applications/{id}/approve', who.city, { params: { id: ctx.id }, body: {} });
  await ok(
    'POST /rehab/applications/{id}/institution',
    who.parentA,
    { params: { id: ctx.id }, body: { institution: 'yq-rehab-center' } },
    201,
  );
  return { ...ctx, planId: ctx.id };
}

interface Cell {
  /** builds what the request works on, once per role (or once for all when `shared`) */
  given: () => Promise<Ctx>;
  shared?: boolean;
  params?: (c: Ctx) => Record<string, string>;
  body?: () => unknown;
  query?: Record<string, string>;
  expect: Record<Who, number>;
}

const all = (status: number, overrides: Partial<Record<Who, number>> = {}): Record<Who, number> => ({
  ...(Object.fromEntries(roles.map((r) => [r, status])) as Record<Who, number>),
  anonymous: 401,
  ...overrides,
});
const app = (c: Ctx) => ({ id: c.id });
const doc = (c: Ctx) => ({ id: c.id, documentId: c.documentId as string });
const plan = (c: Ctx) => ({ planId: c.planId as string });
const settlement = () => ({ institution: 'yq-rehab-center', month });
const none = async (): Promise<Ctx> => ({ id: '' });

let sharedUploaded: Promise<Ctx> | undefined;
const uploadedOnce = () => {
  sharedUploaded ??= submitted().then((c) => withUpload(c));
  return sharedUploaded;
};
let sharedSettled: Promise<Ctx> | undefined;
const settledOnce = () => {
  sharedSettled ??= planned().then(async (c) => {
    const withClaim = await fileClaim(c);
    await ok('POST /rehab/plans/{planId}/claims/{claimId}/decision', who.city, {
      params: { planId: withClaim.planId as string, claimId: withClaim.claimId as string },
      body: { decision: 'approve' },
    });
    return withClaim;
  });
  return sharedSettled;
};

const matrix: Record<string, Cell> = {
  'GET /rehab/institutions': { given: none, shared: true, expect: all(200, { anonymous: 200 }) },
  'GET /rehab/admin/institutions': { given: none, shared: true, expect: all(403, { admin: 200 }) },
  'PUT /rehab/institutions/{id}': {
    given: none,
    shared: true,
    params: () => ({ id: 'matrix-centre' }),
    body: () => ({
      name: { 'zh-CN': '矩阵测试康复中心', en: 'Matrix test centre' },
      township: 'liushi',
      categories: ['autism'],
      ages: [0, 17],
      effectiveFrom: '2026-01-01',
      status: 'active',
      expectedVersion: 0,
    }),
    expect: all(403, { admin: 200 }),
  },
  'GET /rehab/institutions/{id}/history': {
    given: none,
    shared: true,
    params: () => ({ id: 'yq-rehab-center' }),
    expect: all(403, { admin: 200, auditor: 200 }),
  },
  'GET /rehab/standards/{year}': {
    given: none,
    shared: true,
    params: () => ({ year: String(year) }),
    expect: all(200),
  },
  'PUT /rehab/standards/{year}': {
    given: none,
    shared: true,
    params: () => ({ year: String(year + 1) }),
    body: () => ({ amounts: seedStandards[0]?.amounts }),
    expect: all(403, { admin: 201 }),
  },
  'POST /rehab/applications/{id}/documents': {
    given: uploadedOnce,
    shared: true,
    params: app,
    body: () => ({ kind: 'hukou', contentType: 'image/png', size: 2048 }),
    expect: all(403, { parentA: 201, parentB: 404 }),
  },
  'GET /rehab/applications/{id}/documents': {
    given: uploadedOnce,
    shared: true,
    params: app,
    expect: all(404, { parentA: 200, townshipHere: 200, city: 200, auditor: 403, admin: 403 }),
  },
  'POST /rehab/applications/{id}/documents/{documentId}/complete': {
    given: () => submitted().then((c) => withUpload(c, false)),
    params: doc,
    body: () => ({}),
    expect: all(403, { parentA: 200, parentB: 404 }),
  },
  'POST /rehab/applications/{id}/documents/{documentId}/link': {
    given: uploadedOnce,
    shared: true,
    params: doc,
    body: () => ({}),
    expect: all(404, { parentA: 200, townshipHere: 200, city: 200, auditor: 403, admin: 403 }),
  },
  'POST /rehab/applications/{id}/approve': {
    given: atApproval,
    params: app,
    body: () => ({}),
    expect: all(403, { city: 200 }),
  },
  'POST /rehab/applications/{id}/institution': {
    given: approved,
    params: app,
    body: () => ({ institution: 'yq-rehab-center' }),
    expect: all(403, { parentA: 201, parentB: 404 }),
  },
  'GET /rehab/plans': {
    given: settledOnce,
    shared: true,
    expect: all(403, { institution: 200, otherInstitution: 200 }),
  },
  'GET /rehab/plans/{planId}': {
    given: settledOnce,
    shared: true,
    params: plan,
    expect: all(200, { parentB: 404, townshipThere: 404, otherInstitution: 404 }),
  },
  'POST /rehab/plans/{planId}/claims': {
    given: settledOnce,
    shared: true,
    params: plan,
    body: () => ({ month, sessions: 1, amountFen: 500 }),
    expect: all(403, { institution: 201, otherInstitution: 404 }),
  },
  'GET /rehab/claims': {
    given: none,
    shared: true,
    query: { status: 'filed' },
    expect: all(403, { city: 200, auditor: 200, admin: 200 }),
  },
  'POST /rehab/plans/{planId}/claims/{claimId}/decision': {
    given: () => settledOnce().then(fileClaim),
    params: (c) => ({ planId: c.planId as string, claimId: c.claimId as string }),
    body: () => ({ decision: 'approve' }),
    expect: all(403, { city: 200 }),
  },
  'GET /rehab/settlements': {
    given: settledOnce,
    shared: true,
    query: { month },
    expect: all(403, { city: 200, institution: 200, otherInstitution: 200, auditor: 200, admin: 200 }),
  },
  'GET /rehab/settlements/{institution}/{month}': {
    given: settledOnce,
    shared: true,
    params: settlement,
    expect: all(403, { city: 200, institution: 200, auditor: 200, admin: 200 }),
  },
  'POST /rehab/settlements/{institution}/{month}/close': {
    given: settledOnce,
    shared: true,
    params: settlement,
    body: () => ({}),
    // the month is not over yet: even the city 残联 gets a 409
    expect: all(403, { city: 409 }),
  },
  'POST /rehab/settlements/{institution}/{month}/paid': {
    given: settledOnce,
    shared: true,
    params: settlement,
    body: () => ({ paymentReference: 'FIN-0001' }),
    // an open settlement cannot be paid
    expect: all(403, { city: 409 }),
  },
};

beforeAll(async () => {
  s3 = await startS3Local({ dir: mkdtempSync(join(tmpdir(), 's3-')), buckets: ['rehab-access'] });
  Object.assign(process.env, {
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    DOCUMENTS_BUCKET: 'rehab-access',
    DOCUMENTS_SSE: 'AES256',
    DOCUMENTS_REQUIRE_SSE: 'false',
  });
  ({ invoke } = await setupHandlers());
});
afterAll(async () => {
  await s3?.stop();
});

describe('rehab access-control matrix (route × role)', () => {
  it('covers every /rehab route of the route table', () => {
    const mine = routes.filter((r) => r.handler === 'rehab-aid').map((r) => `${r.method} ${r.path}`);
    expect(mine.filter((k) => !Object.hasOwn(matrix, k))).toEqual([]);
  });

  for (const [routeKey, cell] of Object.entries(matrix)) {
    for (const role of roles) {
      it(`${routeKey} as ${role} → ${cell.expect[role]}`, async () => {
        const ctx = await cell.given();
        const res = await invoke(routeKey, who[role], {
          ...(cell.params ? { params: cell.params(ctx) } : {}),
          ...(cell.body ? { body: cell.body() } : {}),
          ...(cell.query ? { query: cell.query } : {}),
        });
        expect(res.status, JSON.stringify(res.body)).toBe(cell.expect[role]);
        if (res.status >= 400) expect(res.body.error.code).toBeTruthy();
      });
    }
  }
});
