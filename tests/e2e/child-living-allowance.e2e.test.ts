/**
 * 事实无人抚养儿童基本生活保障 end to end on the real `npm start` runtime: the family applies →
 * the township's home visit → the 7-day public notice passed by the sweeper → the city's
 * confirmation with the standard in force → three monthly payments through township batches →
 * the annual review opened by the module's job on the anniversary → the notice a month before
 * the 18th birthday → the end on it. The runtime's clock is moved by restarting it on the same
 * data folder with another CLOCK_OFFSET_MS (the local clock shift); the e-mails of each phase are
 * read from the local SES viewer before the next restart. Nothing stored, mailed or logged holds
 * an ID number.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '#core/id-number';
import { listSentMail, type SentMail } from '../../local/ses-local.ts';
import { fixtureForm } from '../support/forms.ts';
import { everythingTheRunKept, validIdsIn } from '../support/pii-scan.ts';
import { ApiClient, type RuntimeProcess, startRuntimeProcess } from '../support/runtime-process.ts';

const DAY = 86_400_000;
const dataDir = mkdtempSync(join(tmpdir(), 'onestop-allowance-e2e-'));
const T0 = Date.now();
const chinaDate = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
const chinaMonth = (ms: number) => chinaDate(ms).slice(0, 7);
const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

/** The child turns 18 about 500 days from now (so the whole life of the allowance fits). */
const eighteenth = chinaDate(T0 + 500 * DAY);
const birthDate = `${Number(eighteenth.slice(0, 4)) - 18}${eighteenth.slice(4)}`;
const childId = makeIdNumber('330382', birthDate, '731');
const CARER_EMAIL = 'e2e.carer@example.com';

let rt: RuntimeProcess | undefined;
const mails: SentMail[] = [];

/** (Re)starts the runtime on the same data with the clock at `at` (ms since the epoch). */
async function runAt(at: number) {
  if (rt) {
    mails.push(...(await listSentMail(rt.mailUrl)));
    expect(await rt.stop()).toBe(0);
  }
  rt = await startRuntimeProcess(
    { CLOCK_OFFSET_MS: String(at - Date.now()), ALLOWANCE_LIFECYCLE_INTERVAL_MS: '500' },
    dataDir,
  );
  const as = (claims: Record<string, string>) => ApiClient.as((rt as RuntimeProcess).url, claims);
  return {
    carer: await as({ sub: 'e2e-allowance-carer', role: 'parent', email: CARER_EMAIL }),
    township: await as({
      sub: 'cw-ca-liushi',
      role: 'caseworker',
      agency: 'ca-township',
      township: 'liushi',
    }),
    city: await as({ sub: 'cw-ca-city', role: 'caseworker', agency: 'ca-city' }),
  };
}

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until this run's SES holds `count` mails of the case whose subject matches (before a restart). */
async function mailed(appId: string, subject: RegExp, count = 1) {
  const current = rt as RuntimeProcess;
  const got = await waitFor(
    async () =>
      (await listSentMail(current.mailUrl)).filter(
        (m) => (m.text ?? '').includes(appId) && subject.test(m.subject),
      ),
    (m) => m.length >= count,
  );
  expect(got.length).toBeGreaterThanOrEqual(count);
}

afterAll(async () => {
  if (rt) expect(await rt.stop()).toBe(0);
});

const stepOf = (view: any, step: string) => view.steps.find((s: any) => s.step === step);

describe('a living allowance from application to the 18th birthday', () => {
  let id = '';
  let startMonth = '';

  it('is applied for, visited, noticed for 7 days, and confirmed with the standard in force', async () => {
    let who = await runAt(T0);
    const form = fixtureForm('child-living-allowance');
    form.child.birthDate = birthDate;
    form.child.idNumber = childId;
    form.carer.email = CARER_EMAIL;
    const submitted = await who.carer.call('POST', '/applications', {
      service: 'child-living-allowance',
      form,
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    id = submitted.body.id;
    const visited = await who.township.call('POST', `/applications/${id}/steps/township-review/decision`, {
      decision: 'approve',
      outputs: {
        visitDate: chinaDate(T0),
        fatherCondition: 'imprisoned',
        motherCondition: 'lost-contact',
        household: 'with-grandparents',
        findings: '入户核实：父亲服刑，母亲失联，由祖父抚养，就学正常',
      },
    });
    expect(visited.status, JSON.stringify(visited.body)).toBe(200);
    expect(stepOf(visited.body, 'public-notice').status).toBe('open');
    await mailed(id, /已受理/);
    await mailed(id, /开始公示/);

    // 8 days later the sweeper has passed the notice
    who = await runAt(T0 + 8 * DAY);
    const passed = await waitFor(
      async () => (await who.carer.call('GET', `/applications/${id}`)).body,
      (v) => stepOf(v, 'public-notice')?.status === 'done',
    );
    expect(stepOf(passed, 'city-confirmation').status).toBe('open');
    const standard = await who.city.call(
      'GET',
      `/child-allowance/standards/${chinaDate(T0 + 8 * DAY).slice(0, 4)}`,
    );
    const confirmed = await who.city.call('POST', `/child-allowance/applications/${id}/confirm`, {});
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.status).toBe('completed');
    const outputs = stepOf(confirmed.body, 'city-confirmation').outputs;
    expect(outputs.monthlyFen).toBe(standard.body.monthlyFen);
    startMonth = outputs.startMonth;
    expect(startMonth).toBe(nextMonth(chinaMonth(T0 + 8 * DAY)));
    await mailed(id, /市民政局已确认/);
  });

  it('pays three months through the township’s batches; the family sees each payment', async () => {
    const m1 = startMonth;
    const m2 = nextMonth(m1);
    const m3 = nextMonth(m2);
    const who = await runAt(Date.parse(`${m3}-20T02:00:00Z`));
    for (const month of [m1, m2, m3]) {
      const created = await who.township.call('POST', '/child-allowance/batches', {
        township: 'liushi',
        month,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(
        (await who.township.call('POST', `/child-allowance/batches/liushi/${month}/close`, {})).body.status,
      ).toBe('closed');
      const paid = await who.city.call('POST', `/child-allowance/batches/liushi/${month}/paid`, {
        paymentReference: `YQMZ-${month}`,
      });
      expect(paid.body.status).toBe('paid');
    }
    const mine = await who.carer.call('GET', `/child-allowance/allowances/${id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.payments.map((p: any) => [p.month, p.status])).toEqual([
      [m1, 'paid'],
      [m2, 'paid'],
      [m3, 'paid'],
    ]);
    await mailed(id, /基本生活费已发放/, 3);
  });

  it('opens the annual review by itself on the anniversary; the township continues the allowance', async () => {
    const confirmedOn = Date.parse(`${chinaDate(T0 + 8 * DAY)}T00:00:00+08:00`);
    const who = await runAt(
      confirmedOn + 365 * DAY + 2 * 3600_000 + (chinaDate(T0 + 8 * DAY).endsWith('02-29') ? DAY : 0),
    );
    const opened = await waitFor(
      async () => (await who.township.call('GET', `/child-allowance/allowances/${id}`)).body.allowance,
      (a) => a?.review !== undefined,
    );
    expect(opened.review).toBeDefined();
    const done = await who.township.call('POST', `/child-allowance/allowances/${id}/review`, {
      outcome: 'continue',
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.reviews).toBe(1);
    await mailed(id, /年度复核通过/);
  });

  it('warns a month before the 18th birthday and ends on it', async () => {
    let who = await runAt(Date.parse(`${eighteenth}T02:00:00+08:00`) - 20 * DAY);
    const warned = await waitFor(
      async () => (await who.carer.call('GET', `/child-allowance/allowances/${id}`)).body.allowance,
      (a) => a?.ageNoticeAt !== undefined,
    );
    expect(warned.status).toBe('active');
    await mailed(id, /保障即将终止/);
    who = await runAt(Date.parse(`${eighteenth}T02:00:00+08:00`) + DAY);
    const ended = await waitFor(
      async () => (await who.carer.call('GET', `/child-allowance/allowances/${id}`)).body.allowance,
      (a) => a?.status === 'ended',
    );
    expect(ended).toMatchObject({ status: 'ended', endReason: 'age-18', endMonth: eighteenth.slice(0, 7) });
    const events = (await who.carer.call('GET', `/applications/${id}/events`)).body.items.map(
      (e: any) => e.type,
    );
    expect(events).toEqual(
      expect.arrayContaining([
        'submitted',
        'step-opened',
        'completed',
        'allowance-started',
        'allowance-paid',
        'annual-review-opened',
        'annual-review-completed',
        'termination-notice',
        'allowance-terminated',
      ]),
    );
  });

  it('told the family at each step, with amounts in yuan, and kept no ID number anywhere', async () => {
    const current = rt as RuntimeProcess;
    const ours = await waitFor(
      async () =>
        [...mails, ...(await listSentMail(current.mailUrl))].filter((m) => (m.text ?? '').includes(id)),
      (m) => m.some((x) => /保障已终止/.test(x.subject)),
    );
    const subjects = ours.map((m) => m.subject).join('\n');
    for (const title of [
      '已受理',
      '入户调查审核通过',
      '开始公示',
      '公示期满',
      '市民政局已确认',
      '基本生活费已发放',
      '年度复核',
      '年度复核通过',
      '保障即将终止',
      '保障已终止',
    ]) {
      expect(subjects).toContain(title);
    }
    expect(ours.every((m) => m.to.includes(CARER_EMAIL))).toBe(true);
    const paid = ours.filter((m) => /基本生活费已发放/.test(m.subject));
    expect(paid).toHaveLength(3);
    expect(paid[0]?.text).toMatch(/金额 ¥\d+\.\d{2}/);
    expect(ours.find((m) => /市民政局已确认/.test(m.subject))?.text).toMatch(/每月基本生活费：¥\d+\.\d{2}/);
    const { stored, mails: sent, logs } = await everythingTheRunKept(current);
    for (const text of [stored, sent, JSON.stringify(mails), logs]) {
      expect(text).not.toContain(childId);
      expect(validIdsIn(text)).toEqual([]);
    }
  });
});
