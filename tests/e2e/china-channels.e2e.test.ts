/**
 * The China stage's channels end to end on the real `npm start` runtime: mail through an SMTP
 * relay (MAIL_TRANSPORT=smtp, a local SMTP server started here) and SMS through the domestic
 * provider (SMS_TRANSPORT=aliyun, the provider's fake started here, which verifies every
 * request's signature). A birth application that chose both channels goes through every agency:
 * each notified event arrives exactly once on each channel, also across a crash between a
 * transition and its sends. The runtime keeps no number, text or AccessKey in its logs.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { birthDeciders } from '../support/actors.ts';
import { type AliyunSmsFake, type FakeSms, startAliyunSmsFake } from '../support/aliyun-sms-fake.ts';
import { birthForm } from '../support/forms.ts';
import { everythingTheRunKept, mobilesIn } from '../support/pii-scan.ts';
import { ApiClient, type RuntimeProcess, startRuntimeProcess } from '../support/runtime-process.ts';

const MOTHER = '13805771234';
const EMAIL = 'wang.li@example.com';

interface Mail {
  to: string[];
  subject: string;
  text: string;
}

let fake: AliyunSmsFake;
let smtp: SMTPServer;
let smtpPort = 0;
const inbox: Mail[] = [];
const running: RuntimeProcess[] = [];

beforeAll(async () => {
  fake = await startAliyunSmsFake();
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const parsed = await simpleParser(Buffer.concat(chunks));
        inbox.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const rt of running) await rt.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await fake.stop();
});

/** The China stage's channel settings, as the cn stage's functions get them (locally: the fakes). */
const chinaChannels = (): Record<string, string> => ({
  MAIL_TRANSPORT: 'smtp',
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(smtpPort),
  SMTP_TLS: 'off',
  MAIL_FROM: 'no-reply@onestop.example.gov.cn',
  SMS_TRANSPORT: 'aliyun',
  ALIYUN_SMS_ENDPOINT: fake.url,
  ALIYUN_SMS_SIGN_NAME: fake.signName,
  ALIYUN_SMS_STATUS_TEMPLATE: fake.templates.status,
  ALIYUN_SMS_CODE_TEMPLATE: fake.templates.code,
  ALIYUN_SMS_ACCESS_KEY_ID: fake.accessKeyId,
  ALIYUN_SMS_ACCESS_KEY_SECRET: fake.accessKeySecret,
});

const deciders: Record<string, Record<string, string>> = {
  'birth-certificate': { sub: 'cw-health', role: 'caseworker', agency: 'health' },
  vaccination: { sub: 'cw-cdc', role: 'caseworker', agency: 'cdc' },
  hukou: { sub: 'cw-police-liushi', role: 'caseworker', agency: 'police', township: 'liushi' },
  'medical-insurance': { sub: 'cw-insurance', role: 'caseworker', agency: 'medical-insurance' },
  'social-security-card': { sub: 'cw-hrss', role: 'caseworker', agency: 'hrss' },
  delivery: { sub: 'cw-delivery', role: 'caseworker', agency: 'service-center' },
};

function bothChannelsForm() {
  const form = birthForm();
  form.contact = { email: EMAIL, channels: ['sms', 'email'] };
  return form;
}

const textsOf = (id: string): FakeSms[] => fake.sent.filter((t) => t.params.number === id);
const mailsOf = (id: string): Mail[] => inbox.filter((m) => m.text.includes(id));

/** Waits for at least `count` of each, then a few more poll cycles: no duplicate may follow. */
async function settle(id: string, count: number) {
  const until = Date.now() + 30_000;
  while ((textsOf(id).length < count || mailsOf(id).length < count) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
  }
  await new Promise((r) => setTimeout(r, 2000));
  return { texts: textsOf(id), mails: mailsOf(id) };
}

async function submit(rt: RuntimeProcess, sub: string) {
  const parent = await ApiClient.as(rt.url, { sub, role: 'parent' });
  const created = await parent.call('POST', '/applications', {
    service: 'birth-registration',
    form: bothChannelsForm(),
  });
  expect(created.status).toBe(201);
  return { parent, id: created.body.id as string };
}

describe('the China channels (SMTP relay, Alibaba Cloud SMS) through npm start', () => {
  it('mails and texts each step of a birth application exactly once on each channel', async () => {
    const rt = await startRuntimeProcess(chinaChannels());
    running.push(rt);
    const { parent, id } = await submit(rt, 'cn-parent');
    for (const [step, claims] of Object.entries(deciders)) {
      const worker = await ApiClient.as(rt.url, claims);
      expect((await worker.call('POST', `/applications/${id}/steps/${step}/claim`, {})).status).toBe(200);
      const decided = await worker.call('POST', `/applications/${id}/steps/${step}/decision`, {
        decision: 'approve',
        outputs: birthDeciders[step]!.outputs,
      });
      expect(decided.status, step).toBe(200);
    }
    expect((await parent.call('GET', `/applications/${id}`)).body.status).toBe('completed');

    // submitted + six agencies' decisions + completed, once each, on each channel
    const { texts, mails } = await settle(id, 8);
    expect(texts).toHaveLength(8);
    expect(mails).toHaveLength(8);
    expect(new Set(texts.map((t) => t.params.status)).size).toBe(8);
    expect(new Set(mails.map((m) => m.subject)).size).toBe(8);
    expect(texts.every((t) => t.to === MOTHER && t.templateCode === fake.templates.status)).toBe(true);
    expect(texts.map((t) => t.params.status)).toContain('已受理');
    expect(texts.some((t) => /全部办结/.test(t.params.status ?? ''))).toBe(true);
    expect(texts[0]?.text).toMatch(
      /^【乐清Onestop】您的.+申请（编号.+）：.+。请登录 https:\/\/\S+ 查看详情。$/,
    );
    expect(mails.every((m) => m.to.length === 1 && m.to[0] === EMAIL)).toBe(true);

    // the progress lookup without sign-in: its one-time code through the verification-code template
    const anonymous = new ApiClient(rt.url);
    const asked = await anonymous.call('POST', '/progress/code', { applicationNumber: id, mobile: MOTHER });
    expect(asked.status).toBe(200);
    const until = Date.now() + 10_000;
    const codeText = () => fake.sent.find((t) => t.templateCode === fake.templates.code && t.to === MOTHER);
    while (!codeText() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const code = codeText()?.params.code ?? '';
    expect(code).toMatch(/^\d{6}$/);
    expect(codeText()?.text).toContain(`验证码为：${code}`);
    const progress = await anonymous.call('POST', '/progress', {
      applicationNumber: id,
      mobile: MOTHER,
      code,
    });
    expect(progress.status).toBe(200);
    expect(progress.body.status).toBe('completed');
    // each SMS delivery record holds the provider's BizId, never a number or a text
    const kept = await everythingTheRunKept(rt);
    expect(mobilesIn(kept.logs)).toEqual([]);
    expect(kept.logs).not.toContain(fake.accessKeySecret);
    const stored = JSON.stringify(kept.items.filter((i) => (i as { type?: string }).type === 'delivery'));
    expect(mobilesIn(stored)).toEqual([]);
    // neither the code nor its text: only its keyed hash is stored
    expect(kept.logs).not.toContain('验证码');
    expect(kept.stored).not.toContain(`"${code}"`);
    for (const t of texts) {
      expect(stored).toContain(t.bizId);
      expect(kept.logs).not.toContain(t.text);
    }
    expect(fake.refused).toEqual([]);
  });

  it('sends each mail and text exactly once after a crash between a transition and its sends', async () => {
    const first = await startRuntimeProcess({ ...chinaChannels(), ONESTOP_STREAMS: 'off' });
    const { id } = await submit(first, 'cn-crash-parent');
    const health = await ApiClient.as(first.url, deciders['birth-certificate']!);
    const decided = await health.call('POST', `/applications/${id}/steps/birth-certificate/decision`, {
      decision: 'approve',
      outputs: birthDeciders['birth-certificate']!.outputs,
    });
    expect(decided.status).toBe(200);
    await first.crash();
    expect(textsOf(id)).toEqual([]);
    expect(mailsOf(id)).toEqual([]);

    const second = await startRuntimeProcess(chinaChannels(), first.dataDir);
    running.push(second);
    const { texts, mails } = await settle(id, 2);
    expect(texts.map((t) => t.params.status).sort()).toEqual(['出生医学证明已办结', '已受理'].sort());
    expect(mails).toHaveLength(2);
    expect(new Set(mails.map((m) => m.subject)).size).toBe(2);
  });
});
