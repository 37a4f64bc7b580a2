import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaMonth, chinaYear } from '#services/rehab-aid/eligibility';
import { listSentMail } from '../../local/ses-local.ts';
import { fixtureForm } from '../support/forms.ts';
import { everythingTheRunKept, validIdsIn } from '../support/pii-scan.ts';
import { ApiClient, type RuntimeProcess, startRuntimeProcess } from '../support/runtime-process.ts';

/** View links live this long in this run (5 minutes in production), so expiry is observable. */
const LINK_SECONDS = 3;

let rt: RuntimeProcess;
let parent: ApiClient;
let parentB: ApiClient;
let township: ApiClient;
let otherTownship: ApiClient;
let city: ApiClient;
let centre: ApiClient;
let otherInstitution: ApiClient;

const PDF = new TextEncoder().encode(
  `%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n${'x'.repeat(2000)}\n%%EOF\n`,
);
const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1,
  8, 2,
]);
const HTML = new TextEncoder().encode('<html><script>alert(1)</script></html>');

function rehabForm(): Record<string, any> {
  const form = fixtureForm('rehab-aid');
  form.application.aidYear = chinaYear(new Date());
  return form;
}

beforeAll(async () => {
  rt = await startRuntimeProcess({ DOCUMENT_LINK_SECONDS: String(LINK_SECONDS) });
  parent = await ApiClient.as(rt.url, {
    sub: 'e2e-rehab-parent',
    role: 'parent',
    email: 'chen.jing@example.com',
  });
  parentB = await ApiClient.as(rt.url, { sub: 'e2e-rehab-parent-b', role: 'parent' });
  township = await ApiClient.as(rt.url, {
    sub: 'cw-dpf-liushi',
    role: 'caseworker',
    agency: 'dpf-township',
    township: 'liushi',
  });
  otherTownship = await ApiClient.as(rt.url, {
    sub: 'cw-dpf-lecheng',
    role: 'caseworker',
    agency: 'dpf-township',
    township: 'lecheng',
  });
  city = await ApiClient.as(rt.url, { sub: 'cw-dpf-city', role: 'caseworker', agency: 'dpf-city' });
  centre = await ApiClient.as(rt.url, {
    sub: 'cw-rehab-center',
    role: 'caseworker',
    agency: 'rehab-institution:yq-rehab-center',
  });
  otherInstitution = await ApiClient.as(rt.url, {
    sub: 'cw-rehab-liushi',
    role: 'caseworker',
    agency: 'rehab-institution:liushi-xingyu',
  });
});

afterAll(async () => {
  const code = await rt?.stop();
  expect(code).toBe(0);
});

async function submit(form = rehabForm()) {
  const res = await parent.call('POST', '/applications', { service: 'rehab-aid', form });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as {
    id: string;
    status: string;
    steps: Array<{ step: string; status: string; outputs?: any }>;
  };
}

/** Requests an upload URL, PUTs the bytes to local S3 exactly as a browser would, completes it. */
async function upload(
  appId: string,
  kind: string,
  contentType: string,
  bytes: Uint8Array<ArrayBuffer>,
  declared = contentType,
) {
  const ticket = await parent.call('POST', `/rehab/applications/${appId}/documents`, {
    kind,
    contentType: declared,
    size: bytes.length,
  });
  expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
  const { upload: u, document } = ticket.body;
  expect(u.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  // fetch sets content-length from the body itself; the other signed headers go as given
  const { 'content-length': length, ...headers } = u.headers as Record<string, string>;
  expect(Number(length)).toBe(bytes.length);
  const put = await fetch(u.url, {
    method: 'PUT',
    headers: { ...headers, 'content-type': contentType },
    body: bytes,
  });
  expect(put.status).toBe(200);
  const done = await parent.call(
    'POST',
    `/rehab/applications/${appId}/documents/${document.documentId}/complete`,
    {},
  );
  return { document, done };
}

async function decide(client: ApiClient, appId: string, step: string, outputs?: Record<string, unknown>) {
  const res = await client.call('POST', `/applications/${appId}/steps/${step}/decision`, {
    decision: 'approve',
    ...(outputs ? { outputs } : {}),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const assessment = { assessedLevel: 'moderate', sessionsPerMonth: 12, plan: '助听器调试与言语训练每周三次' };

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  let last = await fn();
  while (!ok(last) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    last = await fn();
  }
  return last;
}

describe('rehabilitation aid through npm start', () => {
  it('goes apply → upload → township → city → assessment → approval → institution → two claims → settlement', async () => {
    // apply: 4 years old → 0–6 priority, the liushi township 残联 first
    const app = await submit();
    const steps = Object.fromEntries(app.steps.map((s) => [s.step, s]));
    expect(steps.precheck).toMatchObject({ status: 'done', outputs: { priority: true, ageBand: '0-6' } });
    expect(steps['township-review']?.status).toBe('open');

    // upload: the 残疾人证 (PDF) and a 户口簿 page (PNG) straight to S3 with presigned PUTs
    const certificate = await upload(app.id, 'disability-certificate', 'application/pdf', PDF);
    expect(certificate.done.status, JSON.stringify(certificate.done.body)).toBe(200);
    expect(certificate.done.body.status).toBe('uploaded');
    const hukou = await upload(app.id, 'hukou', 'image/png', PNG);
    expect(hukou.done.body.status).toBe('uploaded');

    // township: only liushi's queue has it; the caseworker views the certificate, then approves
    expect((await township.call('GET', '/tasks?status=open')).body.items.map((t: any) => t.appId)).toContain(
      app.id,
    );
    expect(
      (await otherTownship.call('GET', '/tasks?status=open')).body.items.map((t: any) => t.appId),
    ).not.toContain(app.id);
    const docs = await township.call('GET', `/rehab/applications/${app.id}/documents`);
    expect(docs.body.items.map((d: any) => d.kind).sort()).toEqual(['disability-certificate', 'hukou']);
    const link = await township.call(
      'POST',
      `/rehab/applications/${app.id}/documents/${certificate.document.documentId}/link`,
      {},
    );
    expect(link.status).toBe(200);
    expect(link.headers.get('cache-control')).toBe('no-store');
    const viewed = await fetch(link.body.url);
    expect(viewed.status).toBe(200);
    expect(viewed.headers.get('content-disposition')).toContain('attachment');
    expect(new Uint8Array(await viewed.arrayBuffer())).toEqual(PDF);
    expect(
      (await township.call('POST', `/applications/${app.id}/steps/township-review/claim`, {})).status,
    ).toBe(200);
    await decide(township, app.id, 'township-review', { familySituation: 'dibao' });

    // city review, then the assessment by the institution the family chose (its queue only)
    await decide(city, app.id, 'city-review', {});
    const queue = await centre.call('GET', '/tasks?status=open');
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((t: any) => t.appId)).toContain(app.id);
    await decide(centre, app.id, 'assessment', assessment);

    // approval with the standard in force: hearing, 0–6 → ¥2,400 a month, ¥24,000 a year
    const year = chinaYear(new Date());
    const approved = await city.call('POST', `/rehab/applications/${app.id}/approve`, { note: '同意救助' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.standard).toEqual({
      standardVersion: `${year}.1`,
      year,
      category: 'hearing',
      ageBand: '0-6',
      monthlyCapFen: 240_000,
      yearlyCapFen: 2_400_000,
    });
    expect(approved.body.application.status).toBe('completed');

    // the family chooses the institution: the aid plan
    const plan = await parent.call('POST', `/rehab/applications/${app.id}/institution`, {
      institution: 'yq-rehab-center',
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    expect(plan.body).toMatchObject({ planId: app.id, institution: 'yq-rehab-center', status: 'active' });
    expect((await centre.call('GET', '/rehab/plans')).body.items.map((p: any) => p.planId)).toContain(app.id);

    // two monthly claims by the institution, approved by the city 残联
    const month = chinaMonth(new Date());
    const previous = month.endsWith('-01')
      ? month
      : `${month.slice(0, 5)}${String(Number(month.slice(5)) - 1).padStart(2, '0')}`;
    const claims = [];
    for (const [m, amountFen, sessions] of [
      [previous, 180_000, 12],
      [month, 60_000, 4],
    ] as const) {
      const res = await centre.call('POST', `/rehab/plans/${app.id}/claims`, {
        month: m,
        sessions,
        amountFen,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      claims.push(res.body);
    }
    const filed = (await city.call('GET', '/rehab/claims?status=filed')).body.items.map(
      (c: any) => c.claimId,
    );
    expect(filed).toEqual(expect.arrayContaining(claims.map((c) => c.claimId)));
    for (const c of claims) {
      const res = await city.call('POST', `/rehab/plans/${app.id}/claims/${c.claimId}/decision`, {
        decision: 'approve',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const after = await parent.call('GET', `/rehab/plans/${app.id}`);
    expect(after.body.budget).toMatchObject({ approvedTotalFen: 240_000, remainingFen: 2_160_000 });

    // settlement: what finance pays the institution for this month (直接结算)
    const settlements = await city.call('GET', `/rehab/settlements?month=${month}`);
    expect(settlements.body.items).toEqual([
      expect.objectContaining({
        institution: 'yq-rehab-center',
        month,
        status: 'open',
        totalFen: 240_000,
        claimCount: 2,
      }),
    ]);
    const statement = await centre.call('GET', `/rehab/settlements/yq-rehab-center/${month}`);
    expect(statement.status).toBe(200);
    expect(statement.body.claims.map((c: any) => c.approvedFen).sort()).toEqual([180_000, 60_000].sort());
    const early = await city.call('POST', `/rehab/settlements/yq-rehab-center/${month}/close`, {});
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('MONTH_NOT_ENDED');

    // events: the engine's transitions and the rehab audit trail, in one history
    const events = (await parent.call('GET', `/applications/${app.id}/events`)).body.items.map(
      (e: any) => e.type,
    );
    expect(events.at(0)).toBe('submitted');
    expect(events.filter((t: string) => t === 'step-approved')).toHaveLength(5);
    expect(events).toEqual(
      expect.arrayContaining([
        'completed',
        'document-uploaded',
        'document-viewed',
        'institution-chosen',
        'claim-filed',
        'claim-approved',
      ]),
    );

    // e-mails: received, four decisions, completed (the automatic check is no news), the plan,
    // two claims approved; amounts in yuan with labels, never raw fen
    const mails = await waitFor(
      async () => (await listSentMail(rt.mailUrl)).filter((m) => (m.text ?? '').includes(app.id)),
      (m) => m.length >= 9,
    );
    expect(mails).toHaveLength(9);
    expect(mails.every((m) => m.to.includes('chen.jing@example.com'))).toBe(true);
    expect(mails.some((m) => /全部办结/.test(m.subject))).toBe(true);
    const approval = mails.find((m) => /康复救助已批准/.test(m.subject));
    expect(approval?.text).toContain('每月救助上限 ¥2,400.00，年度救助上限 ¥24,000.00');
    expect(approval?.text).toContain('monthly cap ¥2,400.00, yearly cap ¥24,000.00');
    expect(mails.find((m) => /救助方案已建立/.test(m.subject))?.text).toContain('乐清市残疾人康复中心');
    const approvedClaims = mails.filter((m) => /康复费用已核准/.test(m.subject)).map((m) => m.text);
    expect(approvedClaims).toHaveLength(2);
    expect(approvedClaims.join()).toContain('已核准 ¥1,800.00');
    expect(approvedClaims.join()).toContain('剩余额度 ¥21,600.00');
    for (const m of mails) expect(m.text).not.toMatch(/\b(240000|2400000|180000)\b/);
  });
});

describe('access across townships and institutions', () => {
  it('keeps another township from seeing or deciding the case, and another institution from assessing it', async () => {
    const app = await submit();
    expect((await otherTownship.call('GET', `/applications/${app.id}`)).status).toBe(404);
    expect((await otherTownship.call('GET', `/rehab/applications/${app.id}/documents`)).status).toBe(404);
    const foreign = await otherTownship.call(
      'POST',
      `/applications/${app.id}/steps/township-review/decision`,
      {
        decision: 'approve',
        outputs: { familySituation: 'dibao' },
      },
    );
    expect(foreign.status).toBe(404);
    expect((await parentB.call('GET', `/applications/${app.id}`)).status).toBe(404);
    await decide(township, app.id, 'township-review', { familySituation: 'other' });
    await decide(city, app.id, 'city-review', {});
    const wrong = await otherInstitution.call('POST', `/applications/${app.id}/steps/assessment/decision`, {
      decision: 'approve',
      outputs: assessment,
    });
    expect(wrong.status).toBe(404);
    expect(
      (await otherInstitution.call('GET', '/tasks?status=open')).body.items.map((t: any) => t.appId),
    ).not.toContain(app.id);
    expect((await township.call('POST', `/rehab/applications/${app.id}/approve`, {})).status).toBe(403);
  });
});

describe('documents', () => {
  it('refuses a type other than PDF, JPEG or PNG, and a file over 10 MB, before any upload', async () => {
    const app = await submit();
    const html = await parent.call(
      'POST',
      `/rehab/applications/${app.id}/documents`,
      { kind: 'diagnosis', contentType: 'text/html', size: 100 },
      { 'accept-language': 'en' },
    );
    expect(html.status).toBe(400);
    const field = html.body.error.fields.find((f: any) => f.path === 'contentType');
    expect(field.messages['zh-CN']).toBeTruthy();
    expect(field.messages.en).toBeTruthy();
    const big = await parent.call('POST', `/rehab/applications/${app.id}/documents`, {
      kind: 'diagnosis',
      contentType: 'application/pdf',
      size: 10 * 1024 * 1024 + 1,
    });
    expect(big.status).toBe(413);
    expect(big.body.error.messages.en).toContain('10 MB');
    expect((await parent.call('GET', `/rehab/applications/${app.id}/documents`)).body.items).toEqual([]);
  });

  it('refuses and deletes an upload whose bytes are not what was declared', async () => {
    const app = await submit();
    const { document, done } = await upload(app.id, 'diagnosis', 'application/pdf', HTML);
    expect(done.status).toBe(400);
    expect(done.body.error.code).toBe('DOCUMENT_REFUSED');
    expect(done.body.error.messages['zh-CN']).toContain('PDF');
    const docs = (await parent.call('GET', `/rehab/applications/${app.id}/documents`)).body.items;
    expect(docs).toEqual([expect.objectContaining({ documentId: document.documentId, status: 'refused' })]);
    const link = await township.call(
      'POST',
      `/rehab/applications/${app.id}/documents/${document.documentId}/link`,
      {},
    );
    expect(link.status).toBe(409);
  });

  it('gives view links that stop working when they expire, and audits every view', async () => {
    const app = await submit();
    const { document } = await upload(app.id, 'diagnosis', 'application/pdf', PDF);
    const link = await city.call(
      'POST',
      `/rehab/applications/${app.id}/documents/${document.documentId}/link`,
      {},
    );
    expect(link.status).toBe(200);
    expect(Date.parse(link.body.expiresAt) - Date.now()).toBeLessThanOrEqual(LINK_SECONDS * 1000);
    expect((await fetch(link.body.url)).status).toBe(200);
    await new Promise((r) => setTimeout(r, (LINK_SECONDS + 1.5) * 1000));
    const expired = await fetch(link.body.url);
    expect(expired.status).toBe(403);
    await expired.arrayBuffer();
    const viewed = (await city.call('GET', `/applications/${app.id}/events`)).body.items.filter(
      (e: any) => e.type === 'document-viewed',
    );
    expect(viewed).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ sub: 'cw-dpf-city' }),
        data: { documentId: document.documentId, kind: 'diagnosis' },
      }),
    ]);
  });
});

describe('policy fit: institutions admins maintain, one open application per child', () => {
  it('lets an admin add an institution families then choose; a double-clicked save lands once; a suspension hides it', async () => {
    const admin = await ApiClient.as(rt.url, { sub: 'e2e-admin', role: 'admin' });
    const body = {
      name: { 'zh-CN': '柳市阳光儿童康复中心', en: 'Liushi Sunshine Children’s Rehabilitation Centre' },
      township: 'liushi',
      categories: ['hearing', 'speech'],
      ages: [0, 14],
      effectiveFrom: '2026-01-01',
      status: 'active',
      expectedVersion: 0,
    };
    const saves = await Promise.all([
      admin.call('PUT', '/rehab/institutions/liushi-sunshine', body),
      admin.call('PUT', '/rehab/institutions/liushi-sunshine', body),
    ]);
    expect(saves.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(saves.find((r) => r.status === 409)?.body.error.code).toBe('INSTITUTION_CHANGED');
    const listed = await fetch(`${rt.url}/rehab/institutions?category=hearing`).then((r) => r.json());
    expect(listed.items.map((i: { id: string }) => i.id)).toContain('liushi-sunshine');

    // another family (the per-user submission limit is the other tests')
    const family = await ApiClient.as(rt.url, { sub: 'e2e-rehab-parent-c', role: 'parent' });
    const other = await ApiClient.as(rt.url, { sub: 'e2e-rehab-parent-d', role: 'parent' });
    const form = rehabForm();
    form.rehabilitation.institution = 'liushi-sunshine';
    const created = await family.call('POST', '/applications', { service: 'rehab-aid', form });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.steps.find((s: any) => s.step === 'township-review')?.status).toBe('open');

    // a second open application for the same child: 409, nothing stored
    const again = await other.call('POST', '/applications', { service: 'rehab-aid', form });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DUPLICATE_APPLICATION');
    expect((await other.call('GET', '/applications')).body.items).toEqual([]);

    const suspended = await admin.call('PUT', '/rehab/institutions/liushi-sunshine', {
      ...body,
      status: 'suspended',
      suspendedReason: '年度考核整改',
      expectedVersion: 1,
    });
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    const after = await fetch(`${rt.url}/rehab/institutions?category=hearing`).then((r) => r.json());
    expect(after.items.map((i: { id: string }) => i.id)).not.toContain('liushi-sunshine');
    const another = rehabForm(); // another child, the suspended institution
    another.rehabilitation.institution = 'liushi-sunshine';
    const refused = await other.call('POST', '/applications', { service: 'rehab-aid', form: another });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields[0]).toMatchObject({
      path: 'form.rehabilitation.institution',
      code: 'rehab.institutionUnavailable',
    });
    const history = await admin.call('GET', '/rehab/institutions/liushi-sunshine/history');
    expect(history.body.items.map((r: { status: string }) => r.status)).toEqual(['active', 'suspended']);
  });
});

describe('bad input gets field-level 4xx in zh-CN and en', () => {
  const cases: Array<[string, (f: Record<string, any>) => void, string]> = [
    [
      'a wrong check digit',
      (f) => {
        f.child.idNumber = '330382202205141231';
      },
      'form.child.idNumber',
    ],
    [
      'no certificate and no diagnosis',
      (f) => {
        f.disability = { category: 'speech', certified: false };
      },
      'form.disability.diagnosis',
    ],
    [
      'an unknown category',
      (f) => {
        f.disability.category = 'mental';
      },
      'form.disability.category',
    ],
    [
      'an unknown institution',
      (f) => {
        f.rehabilitation.institution = 'nowhere';
      },
      'form.rehabilitation.institution',
    ],
  ];
  for (const [name, change, path] of cases) {
    it(`answers 400 for ${name}`, async () => {
      const before = (await parent.call('GET', '/applications')).body.items.length;
      const form = rehabForm();
      change(form);
      const res = await parent.call(
        'POST',
        '/applications',
        { service: 'rehab-aid', form },
        { 'accept-language': 'en' },
      );
      expect(res.status).toBe(400);
      const field = res.body.error.fields.find((f: any) => f.path === path);
      expect(field, JSON.stringify(res.body.error.fields)).toBeTruthy();
      expect(field.messages['zh-CN']).not.toBe('');
      expect(field.messages.en).not.toBe('');
      expect((await parent.call('GET', '/applications')).body.items.length).toBe(before);
    });
  }

  it('answers 400 with the field for a claim month that is not YYYY-MM', async () => {
    const res = await centre.call('POST', '/rehab/plans/01J00000000000000000000000/claims', {
      month: '2026-13',
      sessions: 4,
      amountFen: 1000,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: any) => f.path)).toContain('month');
  });
});

const ID_NUMBERS = ['330382202205141230', '330382199308210425', '33038220220514123022'];

describe('children’s personal data after the whole run', () => {
  it('finds no 身份证号 or 残疾人证号 in clear in the store, the logs or the e-mails', async () => {
    const { stored, mails, logs } = await everythingTheRunKept(rt);
    expect(stored).toContain('RBUDGET#');
    for (const text of [stored, mails, logs]) {
      for (const id of ID_NUMBERS) expect(text).not.toContain(id);
      expect(validIdsIn(text)).toEqual([]);
    }
    // lists, e-mails and logs name the child masked (陈*乐)
    for (const text of [mails, logs]) expect(text).not.toContain('陈乐乐');
  });
});
