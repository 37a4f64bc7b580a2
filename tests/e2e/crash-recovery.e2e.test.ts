/**
 * A crash of the local runtime between a transition and its e-mail: the first run commits
 * transitions but is killed (SIGKILL, whole process tree) before any consumer runs; the second
 * run on the same data folder finds every case consistent and sends every e-mail exactly once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { listSentMail } from '../../local/ses-local.ts';
import { birthDeciders } from '../support/actors.ts';
import { birthForm } from '../support/forms.ts';
import { ApiClient, type RuntimeProcess, startRuntimeProcess } from '../support/runtime-process.ts';

let second: RuntimeProcess | undefined;
afterAll(async () => {
  await second?.stop();
});

describe('crash between a transition and its e-mail', () => {
  it('loses nothing and sends each e-mail exactly once after restart', async () => {
    const first = await startRuntimeProcess({ ONESTOP_STREAMS: 'off' });
    const parent = await ApiClient.as(first.url, { sub: 'crash-parent', role: 'parent' });
    const health = await ApiClient.as(first.url, { sub: 'cw-health', role: 'caseworker', agency: 'health' });
    const created = await parent.call('POST', '/applications', {
      service: 'birth-registration',
      form: birthForm(),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const decided = await health.call('POST', `/applications/${id}/steps/birth-certificate/decision`, {
      decision: 'approve',
      outputs: birthDeciders['birth-certificate']!.outputs,
    });
    expect(decided.status).toBe(200);
    await first.crash();

    second = await startRuntimeProcess({}, first.dataDir);
    const again = await ApiClient.as(second.url, { sub: 'crash-parent', role: 'parent' });
    const app = await again.call('GET', `/applications/${id}`);
    expect(app.status).toBe(200);
    expect(app.body.steps.find((s: { step: string }) => s.step === 'birth-certificate').status).toBe('done');
    expect(app.body.steps.find((s: { step: string }) => s.step === 'hukou').status).toBe('open');
    const events = (await again.call('GET', `/applications/${id}/events`)).body.items;
    expect(events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['submitted', 'step-approved', 'step-opened']),
    );

    const until = Date.now() + 20_000;
    let mails = await listSentMail(second.mailUrl);
    while (mails.filter((m) => (m.text ?? '').includes(id)).length < 2 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      mails = await listSentMail(second.mailUrl);
    }
    await new Promise((r) => setTimeout(r, 1500)); // a few more poll cycles: no duplicates may follow
    mails = (await listSentMail(second.mailUrl)).filter((m) => (m.text ?? '').includes(id));
    expect(mails.map((m) => m.subject).sort()).toHaveLength(2);
    expect(new Set(mails.map((m) => m.subject)).size).toBe(2);
  });
});
