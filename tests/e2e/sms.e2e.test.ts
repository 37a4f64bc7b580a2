/**
 * SMS only, end to end on the real `npm start` runtime: a birth application that chose text
 * messages and gave no e-mail address goes through every agency, and the SMS sink shows each
 * step's message exactly once; also across a crash between a transition and its send. Neither
 * the logs nor the stored delivery records hold the mobile number or a message's text.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { listSentMail } from '../../local/ses-local.ts';
import { listSentSms, type SentSms } from '../../local/sms-sink.ts';
import { birthDeciders } from '../support/actors.ts';
import { birthForm } from '../support/forms.ts';
import { everythingTheRunKept, mobilesIn } from '../support/pii-scan.ts';
import { ApiClient, type RuntimeProcess, startRuntimeProcess } from '../support/runtime-process.ts';

const MOTHER = '13805771234';
const running: RuntimeProcess[] = [];
afterAll(async () => {
  for (const rt of running) await rt.stop();
});

const deciders: Record<string, Record<string, string>> = {
  'birth-certificate': { sub: 'cw-health', role: 'caseworker', agency: 'health' },
  vaccination: { sub: 'cw-cdc', role: 'caseworker', agency: 'cdc' },
  hukou: { sub: 'cw-police-liushi', role: 'caseworker', agency: 'police', township: 'liushi' },
  'medical-insurance': { sub: 'cw-insurance', role: 'caseworker', agency: 'medical-insurance' },
  'social-security-card': { sub: 'cw-hrss', role: 'caseworker', agency: 'hrss' },
  delivery: { sub: 'cw-delivery', role: 'caseworker', agency: 'service-center' },
};

function smsOnlyForm() {
  const form = birthForm();
  form.contact = { channels: ['sms'] };
  return form;
}

async function textsFor(rt: RuntimeProcess, id: string, atLeast: number): Promise<SentSms[]> {
  const until = Date.now() + 30_000;
  let texts = (await listSentSms(rt.smsUrl)).filter((t) => t.text.includes(id));
  while (texts.length < atLeast && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    texts = (await listSentSms(rt.smsUrl)).filter((t) => t.text.includes(id));
  }
  await new Promise((r) => setTimeout(r, 1500)); // a few more poll cycles: no duplicates may follow
  return (await listSentSms(rt.smsUrl)).filter((t) => t.text.includes(id));
}

describe('SMS only through npm start', () => {
  it('texts each step of a birth application exactly once, and keeps no number or text in logs or delivery records', async () => {
    const rt = await startRuntimeProcess();
    running.push(rt);
    // a parent whose token carries no e-mail either: SMS is the only way to reach them
    const parent = await ApiClient.as(rt.url, { sub: 'sms-parent', role: 'parent' });
    const created = await parent.call('POST', '/applications', {
      service: 'birth-registration',
      form: smsOnlyForm(),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
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

    // submitted + six agencies' decisions + completed, each exactly once, all to the mother's number
    const texts = await textsFor(rt, id, 8);
    expect(texts).toHaveLength(8);
    expect(new Set(texts.map((t) => t.text)).size).toBe(8);
    expect(texts.every((t) => t.to === MOTHER)).toBe(true);
    expect(texts[0]?.text).toMatch(/已受理/);
    expect(texts.some((t) => /全部办结/.test(t.text))).toBe(true);
    expect(texts.every((t) => t.text.includes(`${rt.url}/parent/applications/${id}`))).toBe(true);
    // and no e-mail at all for this case
    expect((await listSentMail(rt.mailUrl)).filter((m) => (m.text ?? '').includes(id))).toEqual([]);

    const kept = await everythingTheRunKept(rt);
    const deliveries = kept.items.filter(
      (i) => (i as { type?: string }).type === 'delivery' || (i as { type?: string }).type === 'dead-letter',
    );
    expect(deliveries.length).toBeGreaterThanOrEqual(8);
    const stored = JSON.stringify(deliveries);
    expect(mobilesIn(stored)).toEqual([]);
    expect(mobilesIn(kept.logs)).toEqual([]);
    for (const t of texts) {
      expect(stored).not.toContain(t.text);
      expect(kept.logs).not.toContain(t.text);
    }
    // the case keeps its SMS number encrypted
    const app = kept.items.find(
      (i) => (i as { pk?: string; sk?: string }).pk === `APP#${id}` && (i as { sk?: string }).sk === 'A',
    ) as { contactPhone?: string };
    expect(app.contactPhone).toMatch(/^enc:v1:/);
  });

  it('sends each text exactly once after a crash between a transition and its send', async () => {
    const first = await startRuntimeProcess({ ONESTOP_STREAMS: 'off' });
    const parent = await ApiClient.as(first.url, { sub: 'sms-crash-parent', role: 'parent' });
    const health = await ApiClient.as(first.url, deciders['birth-certificate']!);
    const created = await parent.call('POST', '/applications', {
      service: 'birth-registration',
      form: smsOnlyForm(),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const decided = await health.call('POST', `/applications/${id}/steps/birth-certificate/decision`, {
      decision: 'approve',
      outputs: birthDeciders['birth-certificate']!.outputs,
    });
    expect(decided.status).toBe(200);
    await first.crash();

    const second = await startRuntimeProcess({}, first.dataDir);
    running.push(second);
    const texts = await textsFor(second, id, 2);
    expect(texts).toHaveLength(2);
    expect(texts.map((t) => t.text).join('\n')).toMatch(
      /已受理[\s\S]*出生医学证明已办结|出生医学证明已办结[\s\S]*已受理/,
    );
  });
});
