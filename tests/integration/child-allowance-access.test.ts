/**
 * The access matrix of the child-living-allowance module's own routes: every route × every role
 * (the family, another parent, the township office here and elsewhere, the city bureau, another
 * agency, auditor, admin, anonymous), each cell on fresh objects (a case at the public notice, a
 * case at confirmation, an allowance under annual review, a batch) so cells stay independent.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '#core/id-number';
import { routes } from '../../functions/http/routes.ts';
import { type S3Local, startS3Local } from '../../local/s3-local.ts';
import { fixtureForm } from '../support/forms.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

const SERVICE = 'child-living-allowance';
const who = {
  family: { sub: 'carer-a', role: 'parent', email: 'a@example.com' },
  otherParent: { sub: 'parent-b', role: 'parent' },
  townHere: { sub: 'cw-ca-liushi', role: 'caseworker', agency: 'ca-township', township: 'liushi' },
  townThere: { sub: 'cw-ca-lecheng', role: 'caseworker', agency: 'ca-township', township: 'lecheng' },
  city: { sub: 'cw-ca-city', role: 'caseworker', agency: 'ca-city' },
  health: { sub: 'cw-health', role: 'caseworker', agency: 'health' },
  auditor: { sub: 'auditor-1', role: 'auditor' },
  admin: { sub: 'admin-1', role: 'admin' },
  anonymous: null,
} satisfies Record<string, Claims | null>;
type Who = keyof typeof who;
const roles = Object.keys(who) as Who[];
const all = (status: number, overrides: Partial<Record<Who, number>> = {}): Record<Who, number> =>
  ({ ...Object.fromEntries(roles.map((r) => [r, status])), ...overrides }) as Record<Who, number>;

const T0 = '2027-03-01T02:00:00Z';
const setNow = (iso: string) => {
  process.env.CLOCK_OFFSET_MS = String(Date.parse(iso) - Date.now());
};
const plusDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();

let invoke: Awaited<ReturnType<typeof setupHandlers>>['invoke'];
let sweep: () => Promise<unknown>;
let lifecycle: () => Promise<unknown>;
let n = 500;
let months = 0;

async function atNotice(): Promise<string> {
  setNow(T0);
  const form = fixtureForm(SERVICE);
  form.child.idNumber = makeIdNumber('330382', form.child.birthDate, String(++n));
  const res = await invoke('POST /applications', who.family, { body: { service: SERVICE, form } });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  const visit = {
    visitDate: '2027-02-27',
    fatherCondition: 'imprisoned',
    motherCondition: 'lost-contact',
    household: 'with-grandparents',
    findings: '入户核实属实',
  };
  const ok = await invoke('POST /applications/{id}/steps/{step}/decision', who.townHere, {
    params: { id, step: 'township-review' },
    body: { decision: 'approve', outputs: visit },
  });
  expect(ok.status).toBe(200);
  return id;
}

async function atConfirmation(): Promise<string> {
  const id = await atNotice();
  setNow(plusDays(T0, 8));
  await sweep();
  return id;
}

async function underReview(): Promise<string> {
  const id = await atConfirmation();
  const ok = await invoke('POST /child-allowance/applications/{id}/confirm', who.city, {
    params: { id },
    body: {},
  });
  expect(ok.status).toBe(200);
  setNow(plusDays(T0, 8 + 366));
  await lifecycle();
  return id;
}

/** A month no other cell used (each township has one batch per month). */
const freshMonth = () => {
  const m = months++;
  return `${2025 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
};

async function batch(status: 'open' | 'closed'): Promise<string> {
  setNow('2028-06-01T02:00:00Z');
  const month = freshMonth();
  const res = await invoke('POST /child-allowance/batches', who.townHere, {
    body: { township: 'liushi', month },
  });
  expect(res.status).toBe(201);
  if (status === 'closed') {
    await invoke('POST /child-allowance/batches/{township}/{month}/close', who.townHere, {
      params: { township: 'liushi', month },
      body: {},
    });
  }
  return month;
}

const PDF = new TextEncoder().encode(`%PDF-1.4\n${'%'.repeat(200)}\n%%EOF\n`);
let s3: S3Local;

/** A document of a fresh case: requested by the family, its file PUT; `complete`: also checked. */
async function document(complete: boolean): Promise<{ id: string; documentId: string }> {
  const id = await atNotice();
  const ticket = await invoke('POST /child-allowance/applications/{id}/documents', who.family, {
    params: { id },
    body: { kind: 'father-evidence', contentType: 'application/pdf', size: PDF.length },
  });
  expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
  const { 'content-length': _, ...headers } = ticket.body.upload.headers as Record<string, string>;
  await (await fetch(ticket.body.upload.url, { method: 'PUT', headers, body: PDF })).arrayBuffer();
  const documentId = ticket.body.document.documentId as string;
  if (complete) {
    const done = await invoke(
      'POST /child-allowance/applications/{id}/documents/{documentId}/complete',
      who.family,
      {
        params: { id, documentId },
        body: {},
      },
    );
    expect(done.status).toBe(200);
  }
  return { id, documentId };
}

interface Cell {
  /** builds the cell's object and returns the request */
  setup: () => Promise<{ params?: Record<string, string>; body?: unknown; query?: Record<string, string> }>;
  expect: Record<Who, number>;
}

const staff = { townHere: 200, city: 200 };
/** who sees a case's documents: the family, its township, the city (its step is pending); not auditors or admins */
const readers = { otherParent: 404, townThere: 404, health: 404, auditor: 403, admin: 403, anonymous: 401 };
const matrix: Record<string, Cell> = {
  'POST /child-allowance/applications/{id}/documents': {
    setup: async () => ({
      params: { id: await atNotice() },
      body: { kind: 'mother-evidence', contentType: 'application/pdf', size: 1000 },
    }),
    expect: all(403, { family: 201, otherParent: 404, anonymous: 401 }),
  },
  'GET /child-allowance/applications/{id}/documents': {
    setup: async () => ({ params: { id: await atNotice() } }),
    expect: all(200, readers),
  },
  'POST /child-allowance/applications/{id}/documents/{documentId}/complete': {
    setup: async () => ({ params: await document(false), body: {} }),
    expect: all(403, { family: 200, otherParent: 404, anonymous: 401 }),
  },
  'POST /child-allowance/applications/{id}/documents/{documentId}/link': {
    setup: async () => ({ params: await document(true), body: {} }),
    expect: all(200, readers),
  },
  'GET /child-allowance/standards/{year}': {
    setup: async () => ({ params: { year: '2027' } }),
    expect: all(200, { anonymous: 401 }),
  },
  'PUT /child-allowance/standards/{year}': {
    setup: async () => ({ params: { year: '2027' }, body: { monthlyFen: 215_000 } }),
    expect: all(403, { admin: 201, anonymous: 401 }),
  },
  'POST /child-allowance/applications/{id}/objection': {
    setup: async () => ({ params: { id: await atNotice() }, body: { note: '村民反映情况不实' } }),
    // the city reads the case (its step is pending) but may not interrupt the township's notice
    expect: all(403, { townHere: 200, townThere: 404, health: 404, anonymous: 401 }),
  },
  'POST /child-allowance/applications/{id}/confirm': {
    setup: async () => ({ params: { id: await atConfirmation() }, body: {} }),
    expect: all(403, { city: 200, townThere: 404, health: 404, anonymous: 401 }),
  },
  'GET /child-allowance/allowances': {
    setup: async () => ({ query: { township: 'liushi' } }),
    expect: all(403, { ...staff, auditor: 200, admin: 200, anonymous: 401 }),
  },
  'GET /child-allowance/allowances/{id}': {
    setup: async () => ({ params: { id: await underReview() } }),
    expect: all(200, { otherParent: 404, townThere: 404, health: 404, anonymous: 401 }),
  },
  'POST /child-allowance/allowances/{id}/review': {
    setup: async () => ({ params: { id: await underReview() }, body: { outcome: 'continue' } }),
    expect: all(403, { ...staff, townThere: 404, health: 404, anonymous: 401 }),
  },
  'POST /child-allowance/allowances/{id}/terminate': {
    setup: async () => ({ params: { id: await underReview() }, body: { reason: 'adopted' } }),
    expect: all(403, { ...staff, townThere: 404, health: 404, anonymous: 401 }),
  },
  'POST /child-allowance/batches': {
    setup: async () => {
      setNow('2028-06-01T02:00:00Z');
      return { body: { township: 'liushi', month: freshMonth() } };
    },
    expect: all(403, { townHere: 201, city: 201, anonymous: 401 }),
  },
  'GET /child-allowance/batches/{township}/{month}': {
    setup: async () => ({ params: { township: 'liushi', month: await batch('open') } }),
    expect: all(403, { ...staff, auditor: 200, admin: 200, anonymous: 401 }),
  },
  'POST /child-allowance/batches/{township}/{month}/close': {
    setup: async () => ({ params: { township: 'liushi', month: await batch('open') }, body: {} }),
    expect: all(403, { ...staff, anonymous: 401 }),
  },
  'POST /child-allowance/batches/{township}/{month}/paid': {
    setup: async () => ({
      params: { township: 'liushi', month: await batch('closed') },
      body: { paymentReference: 'YQ-0001' },
    }),
    expect: all(403, { city: 200, anonymous: 401 }),
  },
};

beforeAll(async () => {
  setNow(T0);
  s3 = await startS3Local({ dir: mkdtempSync(join(tmpdir(), 's3-')), buckets: ['access-documents'] });
  Object.assign(process.env, {
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    DOCUMENTS_BUCKET: 'access-documents',
    DOCUMENTS_REQUIRE_SSE: 'false',
  });
  ({ invoke } = await setupHandlers());
  const { wiring } = await import('#shared/wiring');
  sweep = async () => (await wiring().service()).sweep();
  const job = await import('../../functions/services/child-living-allowance/lifecycle-job.ts');
  lifecycle = job.handler;
});

afterAll(async () => {
  await s3?.stop();
});

describe('child-living-allowance routes × roles', () => {
  it('covers every route of the module', () => {
    const mine = routes.filter((r) => r.handler === SERVICE).map((r) => `${r.method} ${r.path}`);
    expect(mine.sort()).toEqual(Object.keys(matrix).sort());
  });

  for (const [routeKey, cell] of Object.entries(matrix)) {
    for (const role of roles) {
      it(`${routeKey} as ${role} → ${cell.expect[role]}`, async () => {
        const request = await cell.setup();
        const res = await invoke(routeKey, who[role], request);
        expect(res.status, JSON.stringify(res.body)).toBe(cell.expect[role]);
        if (res.status >= 400) expect(res.body.error.code).toBeTruthy();
      });
    }
  }
});
