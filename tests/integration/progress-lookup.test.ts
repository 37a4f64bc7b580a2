/**
 * 办件进度查询 without signing in, through the real handler on DynamoDB Local with the local SMS
 * sink: the same answer whether or not the number is the application's, a wrong code refused,
 * a used or used-up code refused, rate limits per number and per IP (429 with Retry-After), and
 * a right code showing each step's status and due dates without any personal data.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, MAX_ATTEMPTS } from '#core/progress';
import { listSentSms, type SmsSink, startSmsSink } from '../../local/sms-sink.ts';
import { birthForm } from '../support/forms.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';
import { mobilesIn } from '../support/pii-scan.ts';

let ctx: Awaited<ReturnType<typeof setupHandlers>>;
let sink: SmsSink;
const parent: Claims = { sub: 'progress-parent', role: 'parent' };
let ipSeq = 0;
/** a fresh client address per test, so the per-IP limits of one test do not touch another */
const newIp = () => `198.51.100.${++ipSeq}`;

beforeAll(async () => {
  sink = await startSmsSink({ file: join(mkdtempSync(join(tmpdir(), 'progress-')), 'sms.jsonl') });
  process.env.SMS_SINK_URL = sink.url;
  ctx = await setupHandlers();
});
afterAll(async () => {
  delete process.env.SMS_SINK_URL;
  await sink.stop();
});

async function submit(phone: string) {
  const form = birthForm();
  form.mother.phone = phone;
  form.contact = { channels: ['sms'] };
  const res = await ctx.invoke('POST /applications', parent, {
    body: { service: 'birth-registration', form },
  });
  expect(res.status).toBe(201);
  return { id: res.body.id as string, form };
}

const askCode = (applicationNumber: string, mobile: string, sourceIp: string) =>
  ctx.invoke('POST /progress/code', null, { body: { applicationNumber, mobile }, sourceIp });
const lookup = (applicationNumber: string, mobile: string, code: string, sourceIp: string) =>
  ctx.invoke('POST /progress', null, { body: { applicationNumber, mobile, code }, sourceIp });

async function codeSentTo(mobile: string, after: number): Promise<string> {
  const until = Date.now() + 5_000;
  while (Date.now() < until) {
    const text = (await listSentSms(sink.url))
      .filter((m) => m.to === mobile && Date.parse(m.at) >= after && m.text.includes('验证码'))
      .at(-1)?.text;
    const code = text ? /验证码：(\d{6})/.exec(text)?.[1] : undefined;
    if (code) return code;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no code sent to ${mobile}`);
}

describe('progress lookup without signing in', () => {
  it('answers alike whether or not the number is the application’s, and texts a code only on a match', async () => {
    const { id } = await submit('13600000001');
    const ip = newIp();
    const start = Date.now() - 1000;
    const matched = await askCode(id, '13600000001', ip);
    const wrongNumber = await askCode(id, '13600000002', ip);
    const unknownApp = await askCode('01ARZ3NDEKTSV4RRFFQ69G5FAV', '13600000001', ip);
    for (const res of [matched, wrongNumber, unknownApp]) {
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accepted: true, expiresInSeconds: 600 });
    }
    const texts = (await listSentSms(sink.url)).filter((m) => Date.parse(m.at) >= start);
    expect(texts.map((m) => m.to)).toEqual(['13600000001']);
    expect(texts[0]?.text).not.toContain(id); // the code alone: nothing about the case
  });

  it('refuses a wrong code, then shows each step without personal data for the right one, once', async () => {
    const phone = '13600000011';
    const { id, form } = await submit(phone);
    const ip = newIp();
    const start = Date.now() - 1000;
    expect((await askCode(id, phone, ip)).status).toBe(200);
    const code = await codeSentTo(phone, start);
    const wrong = code === '000000' ? '111111' : '000000';

    const refused = await lookup(id, phone, wrong, ip);
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['code']);
    expect(refused.body.error.fields[0].messages['zh-CN']).toMatch(/验证码/);
    // the right code, but with another number: refused alike
    expect((await lookup(id, '13600000012', code, ip)).status).toBe(400);

    const shown = await lookup(id, phone, code, ip);
    expect(shown.status).toBe(200);
    expect(shown.headers['cache-control']).toBe('no-store');
    expect(shown.body).toMatchObject({
      applicationNumber: id,
      service: 'birth-registration',
      status: 'in-progress',
    });
    const steps = shown.body.steps as Array<{ step: string; status: string; dueAt?: string }>;
    expect(steps.map((s) => s.step)).toContain('birth-certificate');
    expect(steps.find((s) => s.step === 'birth-certificate')).toMatchObject({ status: 'open' });
    expect(steps.find((s) => s.step === 'birth-certificate')?.dueAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const text = JSON.stringify(shown.body);
    for (const secret of [
      form.child.name,
      form.mother.name,
      form.mother.idNumber,
      form.father.name,
      form.father.idNumber,
      form.hukou.address,
      form.delivery.address,
      phone,
    ])
      expect(text).not.toContain(secret);
    expect(mobilesIn(text)).toEqual([]);

    // a code is used once
    expect((await lookup(id, phone, code, ip)).status).toBe(400);
  });

  it(`gives a code ${MAX_ATTEMPTS} tries, after which even the right code is refused`, async () => {
    const phone = '13600000021';
    const { id } = await submit(phone);
    const ip = newIp();
    const start = Date.now() - 1000;
    await askCode(id, phone, ip);
    const code = await codeSentTo(phone, start);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < MAX_ATTEMPTS; i++) expect((await lookup(id, phone, wrong, ip)).status).toBe(400);
    expect((await lookup(id, phone, code, ip)).status).toBe(400);
  });

  it('limits asking per number and per IP, with Retry-After', async () => {
    const phone = '13600000031';
    const { id } = await submit(phone);
    // per number, from ever-new addresses
    const perNumber = [];
    for (let i = 0; i <= LIMITS.askPerNumber; i++) perNumber.push(await askCode(id, phone, newIp()));
    expect(perNumber.slice(0, LIMITS.askPerNumber).every((r) => r.status === 200)).toBe(true);
    const limited = perNumber.at(-1)!;
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // per IP, with ever-new numbers
    const ip = newIp();
    const perIp = [];
    for (let i = 0; i <= LIMITS.askPerIp; i++)
      perIp.push(await askCode(id, `1370000${String(i).padStart(4, '0')}`, ip));
    expect(perIp.slice(0, LIMITS.askPerIp).every((r) => r.status === 200)).toBe(true);
    expect(perIp.at(-1)?.status).toBe(429);
  });

  it('limits trying codes per IP: guessing stops with 429', async () => {
    const ip = newIp();
    const results = [];
    for (let i = 0; i <= LIMITS.tryPerIp; i++)
      results.push(
        (await lookup('01ARZ3NDEKTSV4RRFFQ69G5FAV', `1380000${String(i).padStart(4, '0')}`, '123456', ip))
          .status,
      );
    expect(results.slice(0, LIMITS.tryPerIp).every((s) => s === 400)).toBe(true);
    expect(results.at(-1)).toBe(429);
  });

  it('refuses bad input with field-level messages in zh-CN and en', async () => {
    const res = await ctx.invoke('POST /progress', null, {
      body: { applicationNumber: 'nope', mobile: '12345', code: '12' },
      sourceIp: newIp(),
    });
    expect(res.status).toBe(400);
    const paths = res.body.error.fields.map((f: { path: string }) => f.path).sort();
    expect(paths).toEqual(['applicationNumber', 'code', 'mobile']);
    const code = res.body.error.fields.find((f: { path: string }) => f.path === 'code');
    expect(code.messages).toEqual({ 'zh-CN': '验证码为6位数字', en: 'The code has 6 digits' });
  });

  it('stores no code, number or text in clear', async () => {
    // every page of the table (one Scan page may stop before the codes)
    const items = await ctx.table.scanAll();
    const codes = items.filter((i) => String(i.pk).startsWith('PCODE#'));
    expect(codes.length).toBeGreaterThan(0);
    for (const c of codes) expect(String(c.hash)).not.toMatch(/^\d{6}$/);
    const counters = JSON.stringify(items.filter((i) => String(i.pk).startsWith('RATE#progress')));
    expect(counters.length).toBeGreaterThan(2);
    expect(mobilesIn(counters)).toEqual([]);
    expect(counters).not.toContain('198.51.100.');
  });
});
