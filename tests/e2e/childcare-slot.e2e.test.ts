/**
 * Childcare places end to end through the running `npm start` runtime (HTTP only, real tokens,
 * DynamoDB Local, the stream poller with local SES, the sweeper every 500 ms): the health bureau
 * opens an intake with one place; family A registers and is offered it, family B is waitlisted;
 * A declines and the sweeper offers the place to B; B accepts; the nursery confirms; B is
 * enrolled. E-mails go out at each change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSentMail } from '../../local/ses-local.ts';
import { childForm, upcoming } from '../support/childcare.ts';
import { ApiClient, type RuntimeProcess, startRuntimeProcess } from '../support/runtime-process.ts';

let rt: RuntimeProcess;
let health: ApiClient;
let familyA: ApiClient;
let familyB: ApiClient;
let staff: ApiClient;
let auditor: ApiClient;
const NURSERY = 'e2e-sunshine';
const { term, birthDate } = upcoming();

beforeAll(async () => {
  rt = await startRuntimeProcess();
  health = await ApiClient.as(rt.url, { sub: 'e2e-health', role: 'caseworker', agency: 'health' });
  familyA = await ApiClient.as(rt.url, {
    sub: 'e2e-family-a',
    role: 'parent',
    email: 'family.a@example.com',
  });
  familyB = await ApiClient.as(rt.url, {
    sub: 'e2e-family-b',
    role: 'parent',
    email: 'family.b@example.com',
  });
  staff = await ApiClient.as(rt.url, {
    sub: 'e2e-nursery-staff',
    role: 'caseworker',
    agency: `nursery:${NURSERY}`,
  });
  auditor = await ApiClient.as(rt.url, { sub: 'e2e-auditor', role: 'auditor' });
});

afterAll(async () => {
  const code = await rt?.stop();
  expect(code).toBe(0);
  expect(rt.logs.join('')).not.toMatch(/330382202\d{11}/);
});

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  let last = await fn();
  while (!ok(last) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    last = await fn();
  }
  return last;
}

const stepOf = (app: { steps: Array<{ step: string; status: string; agency?: string }> }, step: string) =>
  app.steps.find((s) => s.step === step);

describe('childcare place through npm start', () => {
  it('registers → offer → decline → the waitlisted family is offered → accept → nursery confirms → enrolled', async () => {
    // The health bureau registers the nursery and opens one place in the toddler class.
    const registered = await health.call('PUT', `/childcare/nurseries/${NURSERY}`, {
      name: { 'zh-CN': '阳光托育园', en: 'Sunshine Nursery' },
      township: 'liushi',
      address: '柳市镇阳光路 8 号',
      licenceNumber: '330382TY2024777',
      type: 'inclusive',
      places: { toddler: 15 },
    });
    expect(registered.status).toBe(200);
    const opened = await health.call('PUT', `/childcare/nurseries/${NURSERY}/intakes/${term}/toddler`, {
      capacity: 1,
      mode: 'rolling',
    });
    expect(opened.status).toBe(200);
    const listed = await new ApiClient(rt.url).call(
      'GET',
      `/childcare/nurseries?term=${term}&township=liushi`,
    );
    expect(listed.body.items.find((n: { id: string }) => n.id === NURSERY).intakes[0]).toMatchObject({
      free: 1,
    });

    // Family A is offered the place at once; family B is waitlisted, first in line.
    const formA = childForm(1, { term, birthDate, preferences: [NURSERY], email: 'family.a@example.com' });
    const a = await familyA.call(
      'POST',
      '/applications',
      { service: 'childcare-slot', form: formA },
      { 'idempotency-key': 'e2e-a' },
    );
    expect(a.status).toBe(201);
    expect(stepOf(a.body, 'allocate')?.status).toBe('done');
    expect(stepOf(a.body, 'offer')?.status).toBe('open');
    const formB = childForm(2, { term, birthDate, preferences: [NURSERY], email: 'family.b@example.com' });
    const b = await familyB.call('POST', '/applications', { service: 'childcare-slot', form: formB });
    expect(b.status).toBe(201);
    expect(stepOf(b.body, 'allocate')?.status).toBe('waiting');
    const waiting = await familyB.call('GET', `/applications/${b.body.id}`);
    expect(waiting.body.waitlist).toEqual([
      expect.objectContaining({ org: NURSERY, position: 1, length: 1 }),
    ]);
    expect(waiting.body.form.child.idNumber).toMatch(/^\d{4}\*+\d{3}[\dX]$/);

    // A declines; within a sweeper run the place is offered to B.
    const declined = await familyA.call('POST', `/applications/${a.body.id}/steps/offer/respond`, {
      response: 'decline',
    });
    expect(declined.status).toBe(200);
    expect(declined.body.status).toBe('rejected');
    const offered = await waitFor(
      () => familyB.call('GET', `/applications/${b.body.id}`),
      (r) => stepOf(r.body, 'offer')?.status === 'open',
    );
    expect(stepOf(offered.body, 'offer')?.status).toBe('open');
    expect(offered.body.steps[0].outputs).toMatchObject({ nurseryId: NURSERY, via: 'waitlist' });

    // B accepts; the nursery's staff see the enrolment task in their queue and confirm it.
    const accepted = await familyB.call('POST', `/applications/${b.body.id}/steps/offer/respond`, {
      response: 'accept',
    });
    expect(accepted.status).toBe(200);
    expect(stepOf(accepted.body, 'enrolment')).toMatchObject({
      status: 'open',
      agency: `nursery:${NURSERY}`,
    });
    const queue = await staff.call('GET', '/tasks?status=open');
    expect(queue.body.items.map((t: { appId: string }) => t.appId)).toContain(b.body.id);
    expect((await staff.call('POST', `/applications/${b.body.id}/steps/enrolment/claim`, {})).status).toBe(
      200,
    );
    const enrolled = await staff.call('POST', `/applications/${b.body.id}/steps/enrolment/decision`, {
      decision: 'approve',
      outputs: { startDate: `${term}-01` },
    });
    expect(enrolled.status).toBe(200);
    expect(enrolled.body.status).toBe('completed');

    // The same child cannot register again while enrolled.
    const again = await familyB.call('POST', '/applications', { service: 'childcare-slot', form: formB });
    expect(again.status).toBe(409);

    // Figures: the place is filled, nobody waits.
    const report = await auditor.call('GET', `/reports/childcare?term=${term}`);
    expect(report.status).toBe(200);
    expect(report.body.nurseries.find((n: { id: string }) => n.id === NURSERY).intakes[0]).toMatchObject({
      capacity: 1,
      enrolled: 1,
      free: 0,
      waiting: 0,
    });

    // E-mails: A's offer and decline; B's waitlist, offer, acceptance and enrolment.
    const mailsFor = async (id: string) =>
      (await listSentMail(rt.mailUrl)).filter((m) => (m.text ?? '').includes(id));
    const mailsB = await waitFor(
      () => mailsFor(b.body.id),
      (m) => m.some((x) => /入托已确认/.test(x.subject)),
    );
    const subjectsB = mailsB.map((m) => m.subject).join(' | ');
    expect(subjectsB).toContain('已进入候补名单');
    expect(subjectsB).toContain('获得托位，请确认');
    expect(subjectsB).toContain('已接受托位');
    expect(subjectsB).toContain('入托已确认');
    expect(mailsB.every((m) => m.to.includes('family.b@example.com'))).toBe(true);
    const mailsA = await waitFor(
      () => mailsFor(a.body.id),
      (m) => m.some((x) => /已放弃托位/.test(x.subject)),
    );
    expect(mailsA.map((m) => m.subject).join(' | ')).toContain('获得托位，请确认');
    expect(JSON.stringify([...mailsA, ...mailsB])).not.toContain(formB.child.idNumber);
  });

  it('refuses an ineligible age with a 400 naming the field and the reason', async () => {
    const form = childForm(3, { term, birthDate: '2020-01-10', preferences: [NURSERY] });
    const res = await familyA.call(
      'POST',
      '/applications',
      { service: 'childcare-slot', form },
      { 'accept-language': 'en' },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0]).toMatchObject({
      path: 'form.child.birthDate',
      code: 'childcare.age.tooOld',
    });
    expect(res.body.error.fields[0].message).toContain('3 years or older');
  });
});
