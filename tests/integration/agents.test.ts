/**
 * Applying on a family's behalf (代办/委托, issue 15 item 3) through the real handlers on DynamoDB
 * Local, the local S3 and the local SMS sink: a village committee's agent files a rehab case with
 * the guardian's signed 委托书, or a birth case with the code texted to the guardian; the agent
 * then sees only what they filed, masked, and acts on nothing; the family claims the case with a
 * code to the form's number and sees and withdraws it; the caseworker views the letter, and the
 * view is in the case history. Refusals leave nothing stored.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Local, startS3Local } from '../../local/s3-local.ts';
import { listSentSms, type SmsSink, startSmsSink } from '../../local/sms-sink.ts';
import { birthForm, fixtureForm } from '../support/forms.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

const BUCKET = 'agents-test';
const agent: Claims = {
  sub: 'agent-dongfeng',
  role: 'agent',
  agency: 'liushi-dongfeng-committee',
  name: '东风村委会 林主任',
};
const otherAgent: Claims = { sub: 'agent-hospital', role: 'agent', agency: 'liushi-hospital-window' };
const family: Claims = { sub: 'family-chen', role: 'parent' };
const stranger: Claims = { sub: 'family-stranger', role: 'parent' };
const township: Claims = {
  sub: 'cw-dpf-liushi',
  role: 'caseworker',
  agency: 'dpf-township',
  township: 'liushi',
};
const PDF = new TextEncoder().encode(`%PDF-1.4\n委托书 ${'%'.repeat(400)}\n%%EOF\n`);
const HTML = new TextEncoder().encode(`<html>${' '.repeat(100)}</html>`);

let s3: S3Local;
let sink: SmsSink;
let ctx: Awaited<ReturnType<typeof setupHandlers>>;

beforeAll(async () => {
  s3 = await startS3Local({ dir: mkdtempSync(join(tmpdir(), 's3-agents-')), buckets: [BUCKET] });
  sink = await startSmsSink({ file: join(mkdtempSync(join(tmpdir(), 'agents-sms-')), 'sms.jsonl') });
  Object.assign(process.env, {
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    DOCUMENTS_BUCKET: BUCKET,
    DOCUMENTS_REQUIRE_SSE: 'false',
    SMS_SINK_URL: sink.url,
  });
  ctx = await setupHandlers();
});
afterAll(async () => {
  delete process.env.SMS_SINK_URL;
  await sink?.stop();
  await s3?.stop();
});

async function codeSentTo(mobile: string, after: number, marker: string): Promise<string> {
  const until = Date.now() + 5_000;
  while (Date.now() < until) {
    const text = (await listSentSms(sink.url))
      .filter((m) => m.to === mobile && Date.parse(m.at) >= after && m.text.includes(marker))
      .at(-1)?.text;
    const code = text ? /验证码：(\d{6})/.exec(text)?.[1] : undefined;
    if (code) return code;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no code sent to ${mobile}`);
}

async function uploadLetter(by: Claims, bytes: Uint8Array<ArrayBuffer>, contentType = 'application/pdf') {
  const ticket = await ctx.invoke('POST /authorisations/letters', by, {
    body: { contentType: 'application/pdf', size: bytes.length },
  });
  expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
  const { 'content-length': _, ...headers } = ticket.body.upload.headers as Record<string, string>;
  const put = await fetch(ticket.body.upload.url, {
    method: 'PUT',
    headers: { ...headers, 'content-type': contentType },
    body: bytes,
  });
  expect(put.status).toBeLessThan(300);
  return ticket.body.letterId as string;
}

const mine = async (who: Claims) =>
  ((await ctx.invoke('GET /applications', who)).body.items as Array<{ id: string }>).map((a) => a.id);

describe('an agent files a rehab case with a letter of authorisation', () => {
  it('the family claims it by code, sees it and withdraws it; the agent only reads it, masked', async () => {
    const letterId = await uploadLetter(agent, PDF);
    const form = fixtureForm('rehab-aid');
    const created = await ctx.invoke('POST /applications', agent, {
      body: { service: 'rehab-aid', form, authorisation: { method: 'letter', letterId } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    expect(created.body.filedBy).toEqual({
      org: 'liushi-dongfeng-committee',
      name: '东风村委会 林主任',
      method: 'letter',
      letter: true,
    });

    // the agent: their own filing only, the child's ID number masked, no action
    const read = await ctx.invoke('GET /applications/{id}', agent, { params: { id } });
    expect(read.status).toBe(200);
    expect(read.body.form.child.idNumber).not.toBe(form.child.idNumber);
    expect(read.body.form.child.idNumber).toMatch(/\*/);
    expect(await mine(agent)).toContain(id);
    expect((await ctx.invoke('GET /applications/{id}', otherAgent, { params: { id } })).status).toBe(404);
    expect(await mine(otherAgent)).not.toContain(id);
    expect(
      (await ctx.invoke('POST /applications/{id}/withdraw', agent, { params: { id }, body: {} })).status,
    ).toBe(403);

    // the family, before claiming it: nothing
    expect((await ctx.invoke('GET /applications/{id}', family, { params: { id } })).status).toBe(404);
    const start = Date.now() - 1000;
    const asked = await ctx.invoke('POST /applications/{id}/guardians/code', family, {
      params: { id },
      body: { mobile: form.guardian.phone },
    });
    expect(asked.status).toBe(200);
    const code = await codeSentTo(form.guardian.phone, start, '关联家庭办件');
    const linked = await ctx.invoke('POST /applications/{id}/guardians', family, {
      params: { id },
      body: { mobile: form.guardian.phone, code },
    });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(await mine(family)).toContain(id);
    expect((await ctx.invoke('GET /applications/{id}', stranger, { params: { id } })).status).toBe(404);

    // the caseworker and the family view the letter; each view is recorded
    for (const who of [township, family]) {
      const link = await ctx.invoke('GET /applications/{id}/authorisation-letter', who, { params: { id } });
      expect(link.status, JSON.stringify(link.body)).toBe(200);
      const file = await fetch(link.body.url);
      expect(new Uint8Array(await file.arrayBuffer())).toEqual(PDF);
    }
    expect(
      (await ctx.invoke('GET /applications/{id}/authorisation-letter', otherAgent, { params: { id } }))
        .status,
    ).toBe(404);
    const events = await ctx.invoke('GET /applications/{id}/events', family, { params: { id } });
    const types = (events.body.items as Array<{ type: string; actor: { sub: string; role: string } }>).map(
      (e) => `${e.type}:${e.actor.role}`,
    );
    expect(types[0]).toBe('submitted:agent');
    expect(types.filter((t) => t.startsWith('authorisation-viewed'))).toEqual([
      'authorisation-viewed:caseworker',
      'authorisation-viewed:parent',
    ]);

    // the family controls it: withdraws; the agent sees the outcome
    const withdrawn = await ctx.invoke('POST /applications/{id}/withdraw', family, {
      params: { id },
      body: {},
    });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expect((await ctx.invoke('GET /applications/{id}', agent, { params: { id } })).body.status).toBe(
      'withdrawn',
    );
  });

  it('refuses a filing without a usable authorisation and stores nothing', async () => {
    const before = (await mine(agent)).length;
    const form = fixtureForm('rehab-aid');
    const none = await ctx.invoke('POST /applications', agent, { body: { service: 'rehab-aid', form } });
    expect(none.status).toBe(400);
    expect(none.body.error.fields[0].path).toBe('authorisation');
    expect(none.body.error.fields[0].message).toMatch(/委托书/);

    // a letter id never uploaded, and another agent's letter
    const notUploaded = await ctx.invoke('POST /authorisations/letters', agent, {
      body: { contentType: 'application/pdf', size: PDF.length },
    });
    const theirs = await uploadLetter(otherAgent, PDF);
    for (const letterId of [notUploaded.body.letterId as string, theirs]) {
      const res = await ctx.invoke('POST /applications', agent, {
        body: { service: 'rehab-aid', form, authorisation: { method: 'letter', letterId } },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.fields[0].path).toBe('authorisation.letterId');
    }

    // a web page called a PDF is refused and deleted
    const html = await uploadLetter(agent, HTML, 'application/pdf');
    const refused = await ctx.invoke('POST /applications', agent, {
      body: { service: 'rehab-aid', form, authorisation: { method: 'letter', letterId: html } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields[0].message).toMatch(/已删除/);
    const again = await ctx.invoke('POST /applications', agent, {
      body: { service: 'rehab-aid', form, authorisation: { method: 'letter', letterId: html } },
    });
    expect(again.body.error.fields[0].message).toMatch(/尚未收到/);

    // a service whose form has no guardian's number: the family could never claim it
    const allowance = await ctx.invoke('POST /applications', agent, {
      body: {
        service: 'child-living-allowance',
        form: fixtureForm('child-living-allowance'),
        authorisation: { method: 'letter', letterId: await uploadLetter(agent, PDF) },
      },
    });
    expect(allowance.status).toBe(400);
    expect(allowance.body.error.fields[0].path).toBe('authorisation');
    expect(allowance.body.error.fields[0].message).toMatch(/家庭无法认领/);

    // a family gives no authorisation
    const parent = await ctx.invoke('POST /applications', family, {
      body: { service: 'rehab-aid', form, authorisation: { method: 'code', code: '123456' } },
    });
    expect(parent.status).toBe(400);
    expect(parent.body.error.fields[0].path).toBe('authorisation');
    expect((await mine(agent)).length).toBe(before);
  });
});

describe('an agent files a birth case on the guardian’s confirmation by code', () => {
  it('the code goes to the guardian, binds to the form’s number and works once', async () => {
    const form = birthForm();
    const mobile = form.mother.phone as string;
    const start = Date.now() - 1000;
    const asked = await ctx.invoke('POST /authorisations/code', agent, { body: { mobile } });
    expect(asked.status).toBe(200);
    const code = await codeSentTo(mobile, start, '申请代您办理');
    const text =
      (await listSentSms(sink.url)).filter((m) => m.text.includes('申请代您办理')).at(-1)?.text ?? '';
    expect(text).toContain('东风村委会 林主任');

    const wrong = await ctx.invoke('POST /applications', agent, {
      body: {
        service: 'birth-registration',
        form,
        authorisation: { method: 'code', code: code === '000000' ? '111111' : '000000' },
      },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields[0].path).toBe('authorisation.code');

    // another number on the form than the one the code went to
    const otherForm = { ...form, mother: { ...form.mother, phone: '13905779999' } };
    const elsewhere = await ctx.invoke('POST /applications', agent, {
      body: { service: 'birth-registration', form: otherForm, authorisation: { method: 'code', code } },
    });
    expect(elsewhere.status).toBe(400);

    const created = await ctx.invoke('POST /applications', agent, {
      body: { service: 'birth-registration', form, authorisation: { method: 'code', code } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.filedBy).toMatchObject({ method: 'code', letter: false });
    expect(created.body.filedBy.confirmedAt).toBeTruthy();

    const reused = await ctx.invoke('POST /applications', agent, {
      body: { service: 'birth-registration', form: birthForm(), authorisation: { method: 'code', code } },
    });
    expect(reused.status).toBe(400);
    // no letter on a case confirmed by code
    const id = created.body.id as string;
    expect(
      (await ctx.invoke('GET /applications/{id}/authorisation-letter', agent, { params: { id } })).status,
    ).toBe(404);
    // only agents ask for confirmation codes
    expect((await ctx.invoke('POST /authorisations/code', family, { body: { mobile } })).status).toBe(403);
  });
});
