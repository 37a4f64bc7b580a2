/**
 * The access-control matrix: every route × every role against one birth application of parent A
 * (柳市镇), asserting the designed 2xx/401/403/404/409. Tokens themselves (missing, forged,
 * expired) are checked by the gateway and covered in the e2e suite; here the claims are trusted
 * as the JWT authorizer passes them. A fresh application per cell keeps cells independent.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/http/routes.ts';
import { modules } from '../../functions/services/registry.ts';
import { type S3Local, startS3Local } from '../../local/s3-local.ts';
import { birthForm } from '../support/forms.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

const who = {
  parentA: { sub: 'parent-a', role: 'parent', email: 'a@example.com' },
  parentB: { sub: 'parent-b', role: 'parent' },
  health: { sub: 'cw-health', role: 'caseworker', agency: 'health' },
  cdc: { sub: 'cw-cdc', role: 'caseworker', agency: 'cdc' },
  policeHere: { sub: 'cw-police-liushi', role: 'caseworker', agency: 'police', township: 'liushi' },
  policeThere: { sub: 'cw-police-lecheng', role: 'caseworker', agency: 'police', township: 'lecheng' },
  auditor: { sub: 'auditor-1', role: 'auditor' },
  admin: { sub: 'admin-1', role: 'admin' },
  agent: { sub: 'agent-1', role: 'agent', agency: 'liushi-dongfeng-committee' },
  anonymous: null,
} satisfies Record<string, Claims | null>;
type Who = keyof typeof who;
const roles = Object.keys(who) as Who[];

const today = new Date().toISOString().slice(0, 10);
const year = String(new Date().getUTCFullYear() + 1);

interface Cell {
  /** the cell's object is a fresh draft of parent A instead of an application */
  draft?: boolean;
  params?: (id: string) => Record<string, string>;
  body?: () => unknown;
  query?: Record<string, string>;
  expect: Record<Who, number>;
}

let mobiles = 0;
const freshMobile = () => `1390000${String(++mobiles).padStart(4, '0')}`;

const all = (status: number, overrides: Partial<Record<Who, number>> = {}): Record<Who, number> =>
  ({ ...Object.fromEntries(roles.map((r) => [r, status])), ...overrides }) as Record<Who, number>;
const id = (appId: string) => ({ id: appId });
const step = (appId: string) => ({ id: appId, step: 'birth-certificate' });

const matrix: Record<string, Cell> = {
  'GET /health': { expect: all(200) },
  'GET /openapi.json': { expect: all(200) },
  'GET /docs': { expect: all(302) },
  'GET /services': { expect: all(200) },
  // public: the same answer for everyone (a fresh number per call: the per-number limit is 3/h)
  'POST /progress/code': {
    body: () => ({ applicationNumber: '01ARZ3NDEKTSV4RRFFQ69G5FAV', mobile: freshMobile() }),
    expect: all(200),
  },
  // no role gets past a wrong code
  'POST /progress': {
    body: () => ({ applicationNumber: '01ARZ3NDEKTSV4RRFFQ69G5FAV', mobile: freshMobile(), code: '000000' }),
    expect: all(400),
  },
  // the other guardian asks for a code (the same answer for the applicant and anyone else) and
  // links with it: a wrong code is a 400 for every parent
  'POST /applications/{id}/guardians/code': {
    params: id,
    body: () => ({ mobile: freshMobile() }),
    expect: all(403, { parentA: 200, parentB: 200, anonymous: 401 }),
  },
  'POST /applications/{id}/guardians': {
    params: id,
    body: () => ({ mobile: freshMobile(), code: '123456' }),
    expect: all(403, { parentA: 400, parentB: 400, anonymous: 401 }),
  },
  // 好差评: the cell's case is still in progress, so even its family cannot rate it yet (409)
  'POST /applications/{id}/rating': {
    params: id,
    body: () => ({ score: 'satisfied' }),
    expect: all(403, { parentA: 409, parentB: 404, anonymous: 401 }),
  },
  'GET /applications/{id}/rating': {
    params: id,
    expect: all(403, { parentA: 200, parentB: 404, auditor: 200, admin: 200, anonymous: 401 }),
  },
  // only the citizen service centre (agency service-center) works follow-ups
  'GET /followups': { expect: all(403, { anonymous: 401 }) },
  'POST /followups/{id}/contact': {
    params: id,
    body: () => ({ note: '已电话回访' }),
    expect: all(403, { anonymous: 401 }),
  },
  'POST /followups/{id}/resolve': {
    params: id,
    body: () => ({ outcome: '已解决' }),
    expect: all(403, { anonymous: 401 }),
  },
  'GET /reports/ratings': {
    query: { year: String(new Date().getUTCFullYear()) },
    expect: all(403, { auditor: 200, admin: 200, anonymous: 401 }),
  },
  'GET /reference/{kind}': { params: () => ({ kind: 'townships' }), expect: all(200) },
  'POST /applications': {
    body: () => ({ service: 'birth-registration', form: birthForm() }),
    // an agent files only with the guardian's authorisation (agents.test.ts): without one, 400
    expect: all(403, { parentA: 201, parentB: 201, agent: 400, anonymous: 401 }),
  },
  'GET /applications': { expect: all(403, { parentA: 200, parentB: 200, agent: 200, anonymous: 401 }) },
  // an agent sees only what they filed: not parent A's own application
  'GET /applications/{id}': {
    params: id,
    expect: all(200, { parentB: 404, policeThere: 404, agent: 404, anonymous: 401 }),
  },
  'GET /applications/{id}/events': {
    params: id,
    expect: all(200, { parentB: 404, policeThere: 404, agent: 404, anonymous: 401 }),
  },
  // 代办: only agents ask for a guardian's confirmation code (no SMS channel in this test: 400)
  // and upload letters; the cell's case has no letter, so whoever may read it gets 404
  'POST /authorisations/code': {
    body: () => ({ mobile: freshMobile() }),
    expect: all(403, { agent: 400, anonymous: 401 }),
  },
  'POST /authorisations/letters': {
    body: () => ({ contentType: 'application/pdf', size: 2048 }),
    expect: all(403, { agent: 201, anonymous: 401 }),
  },
  'GET /applications/{id}/authorisation-letter': {
    params: id,
    expect: all(404, { auditor: 403, admin: 403, anonymous: 401 }),
  },
  'POST /applications/{id}/resubmit': {
    params: id,
    body: () => ({ form: birthForm() }),
    expect: all(403, { parentA: 409, parentB: 404, anonymous: 401 }),
  },
  'POST /applications/{id}/withdraw': {
    params: id,
    body: () => ({}),
    expect: all(403, { parentA: 200, parentB: 404, anonymous: 401 }),
  },
  'POST /applications/{id}/reveal': {
    params: id,
    body: () => ({ path: 'mother.idNumber', reason: '核对身份 / identity check' }),
    expect: all(403, { health: 200, cdc: 200, policeHere: 200, policeThere: 404, anonymous: 401 }),
  },
  // agents keep drafts of what they file too (their own only)
  'GET /drafts': { expect: all(403, { parentA: 200, parentB: 200, agent: 200, anonymous: 401 }) },
  'GET /drafts/{service}/{id}': {
    draft: true,
    expect: all(403, { parentA: 200, parentB: 404, agent: 404, anonymous: 401 }),
  },
  'PUT /drafts/{service}/{id}': {
    draft: true,
    body: () => ({ version: 1, section: 'child', values: { 'child.name': '王小明' }, toggles: {} }),
    expect: all(403, { parentA: 200, parentB: 404, agent: 404, anonymous: 401 }),
  },
  'DELETE /drafts/{service}/{id}': {
    draft: true,
    expect: all(403, { parentA: 204, parentB: 404, agent: 404, anonymous: 401 }),
  },
  'GET /tasks': {
    query: { status: 'open' },
    expect: all(403, { health: 200, cdc: 200, policeHere: 200, policeThere: 200, anonymous: 401 }),
  },
  'POST /applications/{id}/steps/{step}/claim': {
    params: step,
    body: () => ({}),
    expect: all(403, { health: 200, policeThere: 404, anonymous: 401 }),
  },
  'POST /applications/{id}/steps/{step}/unclaim': {
    params: step,
    body: () => ({}),
    expect: all(403, { health: 409, policeThere: 404, anonymous: 401 }),
  },
  'POST /applications/{id}/steps/{step}/decision': {
    params: step,
    body: () => ({ decision: 'approve', outputs: { certificateNumber: 'Q330123456' } }),
    expect: all(403, { health: 200, policeThere: 404, anonymous: 401 }),
  },
  'GET /reports/processing-times': {
    query: { service: 'birth-registration', from: today, to: today },
    expect: all(403, { auditor: 200, admin: 200, anonymous: 401 }),
  },
  'GET /reports/sla-breaches': {
    query: { service: 'birth-registration', from: today, to: today },
    expect: all(403, { auditor: 200, admin: 200, anonymous: 401 }),
  },
  'GET /reports/throughput': {
    query: { service: 'birth-registration', from: today, to: today },
    expect: all(403, { auditor: 200, admin: 200, anonymous: 401 }),
  },
  'GET /reports/open-cases': {
    query: { service: 'birth-registration' },
    expect: all(403, { auditor: 200, admin: 200, anonymous: 401 }),
  },
  'GET /admin/reference/{kind}': {
    params: () => ({ kind: 'townships' }),
    expect: all(403, { auditor: 200, admin: 200, anonymous: 401 }),
  },
  'PUT /admin/reference/{kind}/{id}': {
    params: () => ({ kind: 'eligible', id: `rehab-aid:${year}` }),
    body: () => ({ version: 0, values: { children: 40, under7: 12 } }),
    expect: all(403, { admin: 200, anonymous: 401 }),
  },
  'POST /admin/reference/births/import': {
    body: () => ({ csv: `yq-people,${year}-01,100` }),
    expect: all(403, { admin: 200, anonymous: 401 }),
  },
  'GET /reports/indicators': {
    query: { year: today.slice(0, 4) },
    expect: all(403, { auditor: 200, admin: 200, anonymous: 401 }),
  },
  'GET /reports/yearly': {
    query: { year: today.slice(0, 4) },
    expect: all(403, { auditor: 200, admin: 200, anonymous: 401 }),
  },
  'GET /admin/calendar': { expect: all(200, { parentA: 403, parentB: 403, agent: 403, anonymous: 401 }) },
  'PUT /admin/calendar/{year}': {
    params: () => ({ year }),
    body: () => ({ holidays: [`${year}-01-01`], workdays: [] }),
    expect: all(403, { admin: 200, anonymous: 401 }),
  },
};

let invoke: Awaited<ReturnType<typeof setupHandlers>>['invoke'];

async function freshApplication(): Promise<string> {
  const res = await invoke('POST /applications', who.parentA, {
    body: { service: 'birth-registration', form: birthForm() },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function freshDraft(): Promise<string> {
  // one live draft at a time, so the cells stay under the per-parent draft limit
  const list = await invoke('GET /drafts', who.parentA);
  for (const d of list.body.items as Array<{ id: string; service: string }>) {
    await invoke('DELETE /drafts/{service}/{id}', who.parentA, { params: { service: d.service, id: d.id } });
  }
  const draftId = `d-${crypto.randomUUID()}`;
  const res = await invoke('PUT /drafts/{service}/{id}', who.parentA, {
    params: { service: 'birth-registration', id: draftId },
    body: { version: 0, section: 'child', values: { 'child.name': '王小明' }, toggles: {} },
  });
  expect(res.status).toBe(201);
  return draftId;
}

let s3: S3Local | undefined;
beforeAll(async () => {
  // agents' letters of authorisation go to the documents bucket (the local S3)
  s3 = await startS3Local({ dir: mkdtempSync(join(tmpdir(), 's3-matrix-')), buckets: ['access-matrix'] });
  Object.assign(process.env, {
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    DOCUMENTS_BUCKET: 'access-matrix',
    DOCUMENTS_REQUIRE_SSE: 'false',
  });
  ({ invoke } = await setupHandlers());
});
afterAll(async () => {
  await s3?.stop();
});

describe('access-control matrix (route × role)', () => {
  it('covers every route of the route table', () => {
    const known = new Set(Object.keys(matrix));
    // A service module's routes have their own matrix beside its tests, with its own agencies,
    // townships and objects (e.g. rehab-access.test.ts, childcare-http.test.ts); the childcare
    // one also covers the kernel's respond route (only an offered place is an applicant step today).
    const elsewhere = new Set(['POST /applications/{id}/steps/{step}/respond']);
    const moduleHandlers = new Set<string>(modules.map((m) => m.definition.id));
    const missing = routes
      .filter((r) => !moduleHandlers.has(r.handler))
      .filter((r) => !elsewhere.has(`${r.method} ${r.path}`))
      .map((r) => `${r.method} ${r.path}`)
      .filter((k) => !known.has(k));
    expect(missing).toEqual([]);
  });

  for (const [routeKey, cell] of Object.entries(matrix)) {
    for (const role of roles) {
      it(`${routeKey} as ${role} → ${cell.expect[role]}`, async () => {
        const appId = cell.draft ? await freshDraft() : await freshApplication();
        const res = await invoke(routeKey, who[role], {
          ...(cell.draft ? { params: { service: 'birth-registration', id: appId } } : {}),
          ...(cell.params ? { params: cell.params(appId) } : {}),
          ...(cell.body ? { body: cell.body() } : {}),
          ...(cell.query ? { query: cell.query } : {}),
        });
        expect(res.status, JSON.stringify(res.body)).toBe(cell.expect[role]);
        if (res.status >= 400) expect(res.body.error.code).toBeTruthy();
      });
    }
  }
});

describe('mass assignment', () => {
  const attempts: Array<[string, Record<string, unknown>]> = [
    ['status', { status: 'completed' }],
    ['version', { version: 99 }],
    ['applicant', { applicant: 'someone-else' }],
    ['steps', { steps: [] }],
  ];
  for (const [field, extra] of attempts) {
    it(`refuses a parent's body that sets ${field}`, async () => {
      const res = await invoke('POST /applications', who.parentA, {
        body: { service: 'birth-registration', form: birthForm(), ...extra },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain(field);
    });
  }

  it('refuses outputs smuggled into the form', async () => {
    const form = { ...birthForm(), outputs: { certificateNumber: 'Q330123456' } };
    const res = await invoke('POST /applications', who.parentA, {
      body: { service: 'birth-registration', form },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain('form.outputs');
  });

  it('refuses an assignee smuggled into a decision', async () => {
    const appId = await freshApplication();
    const res = await invoke('POST /applications/{id}/steps/{step}/decision', who.health, {
      params: step(appId),
      body: { decision: 'approve', outputs: { certificateNumber: 'Q330123456' }, assignee: 'cw-other' },
    });
    expect(res.status).toBe(400);
    const view = await invoke('GET /applications/{id}', who.parentA, { params: id(appId) });
    expect(view.body.steps.find((s: { step: string }) => s.step === 'birth-certificate').status).toBe('open');
  });
});
