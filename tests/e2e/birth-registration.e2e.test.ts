/**
 * End to end through the running `npm start` runtime: HTTP only, real tokens, DynamoDB Local,
 * the stream poller and local SES. Drives a birth application from submission to completion,
 * request-info → resubmit, reject, bad input and access across roles.
 */

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devIdp } from '../../local/dev-idp.ts';
import { listSentMail } from '../../local/ses-local.ts';
import { birthDeciders } from '../support/actors.ts';
import { birthForm } from '../support/forms.ts';
import { everythingTheRunKept, validIdsIn } from '../support/pii-scan.ts';
import { ApiClient, type RuntimeProcess, startRuntimeProcess } from '../support/runtime-process.ts';

let rt: RuntimeProcess;
let parent: ApiClient;
let parentB: ApiClient;
const workers: Record<string, ApiClient> = {};

const deciderClaims: Record<string, Record<string, string>> = {
  'birth-certificate': { sub: 'cw-health', role: 'caseworker', agency: 'health' },
  vaccination: { sub: 'cw-cdc', role: 'caseworker', agency: 'cdc' },
  hukou: { sub: 'cw-police-liushi', role: 'caseworker', agency: 'police', township: 'liushi' },
  'medical-insurance': { sub: 'cw-insurance', role: 'caseworker', agency: 'medical-insurance' },
  'social-security-card': { sub: 'cw-hrss', role: 'caseworker', agency: 'hrss' },
  delivery: { sub: 'cw-delivery', role: 'caseworker', agency: 'service-center' },
};

beforeAll(async () => {
  rt = await startRuntimeProcess();
  console.log(`runtime up in ${rt.startedMs} ms (measured inside the process, from start to ready)`);
  parent = await ApiClient.as(rt.url, { sub: 'e2e-parent-a', role: 'parent', email: 'parent.a@example.com' });
  parentB = await ApiClient.as(rt.url, { sub: 'e2e-parent-b', role: 'parent' });
  for (const [step, claims] of Object.entries(deciderClaims))
    workers[step] = await ApiClient.as(rt.url, claims);
});

afterAll(async () => {
  const code = await rt?.stop();
  expect(code).toBe(0);
});

async function submit(form = birthForm()) {
  const res = await parent.call('POST', '/applications', { service: 'birth-registration', form });
  expect(res.status).toBe(201);
  return res.body as {
    id: string;
    status: string;
    steps: Array<{ step: string; status: string; dueAt?: string; agency?: string }>;
  };
}

async function claimAndApprove(id: string, step: string) {
  const w = workers[step]!;
  const queue = await w.call('GET', '/tasks?status=open');
  expect(queue.status).toBe(200);
  expect(queue.body.items.map((t: { appId: string }) => t.appId)).toContain(id);
  expect((await w.call('POST', `/applications/${id}/steps/${step}/claim`, {})).status).toBe(200);
  const res = await w.call('POST', `/applications/${id}/steps/${step}/decision`, {
    decision: 'approve',
    outputs: birthDeciders[step]!.outputs,
  });
  expect(res.status).toBe(200);
  return res.body;
}

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  let last = await fn();
  while (!ok(last) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    last = await fn();
  }
  return last;
}

describe('birth one-thing application through npm start', () => {
  it('answers /health and serves the OpenAPI document', async () => {
    const health = await new ApiClient(rt.url).call('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    const spec = await new ApiClient(rt.url).call('GET', '/openapi.json');
    expect(spec.body.openapi).toBe('3.1.0');
    expect(Object.keys(spec.body.paths)).toContain('/applications/{id}/steps/{step}/decision');
  });

  it('goes from submission to completion with every agency deciding in dependency order', async () => {
    const app = await submit();
    expect(app.status).toBe('in-progress');
    for (const step of [
      'birth-certificate',
      'vaccination',
      'hukou',
      'medical-insurance',
      'social-security-card',
      'delivery',
    ]) {
      await claimAndApprove(app.id, step);
    }
    const done = await parent.call('GET', `/applications/${app.id}`);
    expect(done.body.status).toBe('completed');
    expect(done.body.steps.find((s: { step: string }) => s.step === 'hukou').outputs).toEqual({
      householdNumber: '330382001',
    });

    const events = (await parent.call('GET', `/applications/${app.id}/events`)).body.items as Array<{
      type: string;
    }>;
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'step-claimed')).toHaveLength(6);
    expect(types.filter((t) => t === 'step-approved')).toHaveLength(7);
    expect(types.at(0)).toBe('submitted');
    expect(types.at(-1)).toBe('completed');

    // submitted + six agencies' decisions + completed, each once, in the local mail store
    const mails = await waitFor(
      async () => (await listSentMail(rt.mailUrl)).filter((m) => (m.text ?? '').includes(app.id)),
      (m) => m.length >= 8,
    );
    expect(mails).toHaveLength(8);
    expect(mails.every((m) => m.to.includes('wang.li@example.com'))).toBe(true);
    expect(mails.some((m) => /全部办结/.test(m.subject))).toBe(true);
  });

  it('reports processing times that match the durations in the completed case’s events', async () => {
    // The completed case above is the only one in this run whose later steps were decided.
    const auditor = await ApiClient.as(rt.url, { sub: 'e2e-auditor', role: 'auditor' });
    const mine = (await parent.call('GET', '/applications')).body.items as Array<{
      id: string;
      status: string;
    }>;
    const done = mine.find((a) => a.status === 'completed')!;
    const events = (await parent.call('GET', `/applications/${done.id}/events`)).body.items as Array<{
      type: string;
      step?: string;
      data?: { totalSeconds?: number; auto?: boolean };
    }>;
    const chinaToday = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const query = `/reports/processing-times?service=birth-registration&from=${chinaToday}&to=${chinaToday}`;
    const report = await waitFor(
      () => auditor.call('GET', query),
      (r) =>
        r.status === 200 &&
        r.body.overall?.count >= 1 &&
        r.body.steps.some((s: { step: string; count: number }) => s.step === 'delivery' && s.count >= 1),
    );
    expect(report.status).toBe(200);
    const within1pct = (reported: number, exact: number) =>
      Math.abs(reported - exact) <= Math.max(0.01 * exact, 0.001);
    for (const step of ['vaccination', 'hukou', 'medical-insurance', 'social-security-card', 'delivery']) {
      const exact = events.find((e) => e.type === 'step-approved' && e.step === step)!.data!.totalSeconds!;
      const row = report.body.steps.find((r: { step: string }) => r.step === step);
      expect(row.count, step).toBe(1);
      expect(within1pct(row.p50, exact), `${step}: reported ${row.p50} s, events ${exact} s`).toBe(true);
    }
    const total = events.find((e) => e.type === 'completed')!.data!.totalSeconds!;
    expect(report.body.overall.count).toBe(1);
    expect(within1pct(report.body.overall.p50, total), `overall ${report.body.overall.p50} vs ${total}`).toBe(
      true,
    );
    // Aggregates only: nothing personal in the report (no name, e-mail or ID number; a bare
    // "3303" would also match the digits of a duration such as 0.0330357…).
    const text = JSON.stringify(report.body);
    expect(text).not.toMatch(/王|@/);
    for (const id of ID_NUMBERS) expect(text).not.toContain(id);
    expect(validIdsIn(text)).toEqual([]);
  });

  it('pauses for more information and continues after the parent resubmits', async () => {
    const form = birthForm();
    const app = await submit(form);
    const asked = await workers['birth-certificate']!.call(
      'POST',
      `/applications/${app.id}/steps/birth-certificate/decision`,
      {
        decision: 'request-info',
        fields: ['child.name'],
        note: '姓名与分娩记录不一致 / name differs from the delivery record',
      },
    );
    expect(asked.status).toBe(200);
    expect(asked.body.status).toBe('info-requested');
    const mine = await parent.call('GET', `/applications/${app.id}`);
    expect(mine.body.steps.find((s: { step: string }) => s.step === 'birth-certificate').infoFields).toEqual([
      'child.name',
    ]);

    const changedOther = structuredClone(form);
    changedOther.hukou.address = '浙江省乐清市柳市镇别处 9 号';
    const refused = await parent.call('POST', `/applications/${app.id}/resubmit`, { form: changedOther });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields[0].path).toBe('form.hukou.address');

    form.child.name = '王晓明';
    const back = await parent.call('POST', `/applications/${app.id}/resubmit`, { form });
    expect(back.status).toBe(200);
    expect(back.body.status).toBe('in-progress');
    const approved = await workers['birth-certificate']!.call(
      'POST',
      `/applications/${app.id}/steps/birth-certificate/decision`,
      {
        decision: 'approve',
        outputs: { certificateNumber: 'Q330999999' },
      },
    );
    expect(approved.status).toBe(200);
    const types = (await parent.call('GET', `/applications/${app.id}/events`)).body.items.map(
      (e: { type: string }) => e.type,
    );
    expect(types).toEqual(expect.arrayContaining(['info-requested', 'resubmitted', 'step-approved']));
  });

  it('records a rejection with its coded reason and skips what depended on it', async () => {
    const app = await submit();
    const res = await workers['birth-certificate']!.call(
      'POST',
      `/applications/${app.id}/steps/birth-certificate/decision`,
      {
        decision: 'reject',
        reason: 'not-born-here',
      },
    );
    expect(res.status).toBe(200);
    const steps = Object.fromEntries(
      res.body.steps.map((s: { step: string; status: string }) => [s.step, s.status]),
    );
    expect(steps).toMatchObject({
      'birth-certificate': 'rejected',
      hukou: 'skipped',
      'medical-insurance': 'skipped',
      vaccination: 'open',
    });
  });
});

describe('bad input never reaches a 500 and changes nothing', () => {
  const cases: Array<
    [string, () => { body: unknown; headers?: Record<string, string> }, number, string | null]
  > = [
    [
      'a wrong check digit',
      () => {
        const f = birthForm();
        f.mother.idNumber = '330382199503120248';
        return { body: { service: 'birth-registration', form: f } };
      },
      400,
      'form.mother.idNumber',
    ],
    [
      'a future birth date',
      () => {
        const f = birthForm();
        f.child.birthAt = '2099-01-01T08:00:00+08:00';
        return { body: { service: 'birth-registration', form: f } };
      },
      400,
      'form.child.birthAt',
    ],
    ['an unknown service', () => ({ body: { service: 'no-such-service', form: {} } }), 404, null],
    [
      'an unknown field',
      () => ({ body: { service: 'birth-registration', form: { ...birthForm(), admin: true } } }),
      400,
      'form.admin',
    ],
    [
      'mass assignment of status',
      () => ({ body: { service: 'birth-registration', form: birthForm(), status: 'completed' } }),
      400,
      'status',
    ],
    [
      'a 1 MB body',
      () => ({
        body: JSON.stringify({ service: 'birth-registration', form: { pad: 'x'.repeat(1024 * 1024) } }),
      }),
      413,
      null,
    ],
    ['malformed JSON', () => ({ body: '{"service": "birth-registration", "form": {' }), 400, null],
  ];

  for (const [name, make, status, path] of cases) {
    it(`answers ${status} for ${name}`, async () => {
      const before = (await parent.call('GET', '/applications')).body.items.length;
      const { body } = make();
      const res = await parent.call('POST', '/applications', body, { 'accept-language': 'en' });
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBeTruthy();
      expect(res.body.error.messages['zh-CN']).toBeTruthy();
      expect(res.body.error.messages.en).toBeTruthy();
      if (path) {
        const field = res.body.error.fields.find((f: { path: string }) => f.path === path);
        expect(field, JSON.stringify(res.body.error.fields)).toBeTruthy();
        expect(field.messages['zh-CN']).not.toBe('');
        expect(field.messages.en).not.toBe('');
      }
      expect((await parent.call('GET', '/applications')).body.items.length).toBe(before);
    });
  }
});

describe('access across roles', () => {
  it('hides one parent’s application from another and keeps caseworkers to their agency', async () => {
    const app = await submit();
    expect((await parentB.call('GET', `/applications/${app.id}`)).status).toBe(404);
    expect(
      (await parentB.call('POST', `/applications/${app.id}/resubmit`, { form: birthForm() })).status,
    ).toBe(404);
    const cdcOnHealth = await workers.vaccination!.call(
      'POST',
      `/applications/${app.id}/steps/birth-certificate/decision`,
      {
        decision: 'approve',
        outputs: { certificateNumber: 'Q330000002' },
      },
    );
    expect(cdcOnHealth.status).toBe(403);
    const parentDeciding = await parent.call(
      'POST',
      `/applications/${app.id}/steps/birth-certificate/decision`,
      { decision: 'approve' },
    );
    expect(parentDeciding.status).toBe(403);
  });

  it('refuses missing, forged, tampered and expired tokens before any handler runs', async () => {
    const anon = new ApiClient(rt.url);
    expect((await anon.call('GET', '/applications')).status).toBe(401);
    const forged = `${parent.token!.slice(0, -4)}AAAA`;
    expect((await new ApiClient(rt.url, forged).call('GET', '/applications')).status).toBe(401);
    const [h, p] = parent.token!.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    payload.role = 'admin';
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${parent.token!.split('.')[2]}`;
    expect((await new ApiClient(rt.url, tampered).call('GET', '/applications')).status).toBe(401);
    // Signed with the runtime's own key, but expired a minute ago.
    const idp = await devIdp(join(rt.dataDir, 'keys', 'idp.json'));
    const expired = await idp.sign(
      { sub: 'e2e-parent-a', role: 'parent' },
      Math.floor(Date.now() / 1000) - 60,
    );
    expect((await new ApiClient(rt.url, expired).call('GET', '/applications')).status).toBe(401);
    const fresh = await idp.sign({ sub: 'e2e-parent-a', role: 'parent' });
    expect((await new ApiClient(rt.url, fresh).call('GET', '/applications')).status).toBe(200);
  });
});

// Every ID number the run used (the fixture's parents); none may appear in clear anywhere.
const ID_NUMBERS = ['330382199503120249', '330382199307080155'];

describe('children’s personal data after the whole run', () => {
  it('finds no 身份证号 in clear in the store, the logs or the e-mails', async () => {
    // a saved draft holds the ID numbers as typed; stored, they must be encrypted too
    const draft = await parent.call('PUT', '/drafts/birth-registration/e2e-draft-0001', {
      version: 0,
      section: 'father',
      values: { 'mother.idNumber': ID_NUMBERS[0], 'father.idNumber': ID_NUMBERS[1] },
      toggles: {},
    });
    expect(draft.status).toBe(201);
    const { items, stored, mails, logs } = await everythingTheRunKept(rt);
    expect(items.some((i) => String((i as { sk?: unknown }).sk).startsWith('DRAFT#'))).toBe(true);
    expect(items.length).toBeGreaterThan(50);
    for (const text of [stored, mails, logs]) {
      for (const id of ID_NUMBERS) expect(text).not.toContain(id);
      expect(validIdsIn(text)).toEqual([]);
    }
  });
});
