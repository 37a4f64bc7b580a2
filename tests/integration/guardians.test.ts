/**
 * Both guardians (issue 15 item 2) through the real handlers on DynamoDB Local and the local SMS
 * sink: the father named on a birth form links the case to his own account with the code texted
 * to his number on the form, then reads it, finds it in his applications and answers a request
 * for information (recorded as his); a third account can neither read it nor link it, and asking
 * with a number that is not on the form answers the same and texts nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSentSms, type SmsSink, startSmsSink } from '../../local/sms-sink.ts';
import { birthForm } from '../support/forms.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

let ctx: Awaited<ReturnType<typeof setupHandlers>>;
let sink: SmsSink;
beforeAll(async () => {
  sink = await startSmsSink({ file: join(mkdtempSync(join(tmpdir(), 'guardians-')), 'sms.jsonl') });
  process.env.SMS_SINK_URL = sink.url;
  ctx = await setupHandlers();
});
afterAll(async () => {
  delete process.env.SMS_SINK_URL;
  await sink.stop();
});

const mother: Claims = { sub: 'guardian-mother', role: 'parent' };
const father: Claims = { sub: 'guardian-father', role: 'parent' };
const stranger: Claims = { sub: 'guardian-stranger', role: 'parent' };
const health: Claims = { sub: 'cw-health', role: 'caseworker', agency: 'health' };
const FATHER_PHONE = '13905775678';

async function codeSentTo(mobile: string, after: number): Promise<string> {
  const until = Date.now() + 5_000;
  while (Date.now() < until) {
    const text = (await listSentSms(sink.url))
      .filter((m) => m.to === mobile && Date.parse(m.at) >= after && m.text.includes('关联家庭办件'))
      .at(-1)?.text;
    const code = text ? /验证码：(\d{6})/.exec(text)?.[1] : undefined;
    if (code) return code;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no code sent to ${mobile}`);
}

describe('both guardians', () => {
  it('the father links by code, reads the case, lists it and answers a request for information', async () => {
    const form = birthForm();
    expect(form.father.phone).toBe(FATHER_PHONE);
    const created = await ctx.invoke('POST /applications', mother, {
      body: { service: 'birth-registration', form },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await ctx.invoke('GET /applications/{id}', father, { params: { id } })).status).toBe(404);

    const start = Date.now() - 1000;
    const asked = await ctx.invoke('POST /applications/{id}/guardians/code', father, {
      params: { id },
      body: { mobile: FATHER_PHONE },
    });
    expect(asked.status).toBe(200);
    const code = await codeSentTo(FATHER_PHONE, start);
    const wrong = await ctx.invoke('POST /applications/{id}/guardians', father, {
      params: { id },
      body: { mobile: FATHER_PHONE, code: code === '000000' ? '111111' : '000000' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields[0].path).toBe('code');
    const linked = await ctx.invoke('POST /applications/{id}/guardians', father, {
      params: { id },
      body: { mobile: FATHER_PHONE, code },
    });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(linked.body).toEqual({ applicationNumber: id, linked: 'linked' });
    // the code is used: linking again with it is refused
    const again = await ctx.invoke('POST /applications/{id}/guardians', father, {
      params: { id },
      body: { mobile: FATHER_PHONE, code },
    });
    expect(again.status).toBe(400);

    expect((await ctx.invoke('GET /applications/{id}', father, { params: { id } })).status).toBe(200);
    const mine = await ctx.invoke('GET /applications', father);
    expect(mine.body.items.map((a: { id: string }) => a.id)).toContain(id);

    // the health bureau asks for information; the father answers it, and the history says it was him
    const asking = await ctx.invoke('POST /applications/{id}/steps/{step}/decision', health, {
      params: { id, step: 'birth-certificate' },
      body: { decision: 'request-info', fields: ['hukou.address'], note: '请补充门牌号' },
    });
    expect(asking.status, JSON.stringify(asking.body)).toBe(200);
    const answered = await ctx.invoke('POST /applications/{id}/resubmit', father, {
      params: { id },
      body: { form: { ...form, hukou: { ...form.hukou, address: `${form.hukou.address} 甲` } } },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    const events = (await ctx.invoke('GET /applications/{id}/events', mother, { params: { id } })).body.items;
    expect(events.find((e: { type: string }) => e.type === 'resubmitted')?.actor.sub).toBe(father.sub);
  });

  it('a third account can neither read nor link the case; a number not on the form texts nothing', async () => {
    const form = birthForm();
    const created = await ctx.invoke('POST /applications', mother, {
      body: { service: 'birth-registration', form },
    });
    const id = created.body.id as string;
    const start = Date.now() - 1000;
    const asked = await ctx.invoke('POST /applications/{id}/guardians/code', stranger, {
      params: { id },
      body: { mobile: '13700001111' },
    });
    expect(asked.status).toBe(200);
    expect(asked.body).toEqual({ accepted: true, expiresInSeconds: 600 });
    await new Promise((r) => setTimeout(r, 300));
    expect(
      (await listSentSms(sink.url)).filter((m) => m.to === '13700001111' && Date.parse(m.at) >= start),
    ).toEqual([]);
    const guess = await ctx.invoke('POST /applications/{id}/guardians', stranger, {
      params: { id },
      body: { mobile: FATHER_PHONE, code: '123456' },
    });
    expect(guess.status).toBe(400);
    expect((await ctx.invoke('GET /applications/{id}', stranger, { params: { id } })).status).toBe(404);
    expect(
      (await ctx.invoke('POST /applications/{id}/withdraw', stranger, { params: { id }, body: {} })).status,
    ).toBe(404);
  });
});
