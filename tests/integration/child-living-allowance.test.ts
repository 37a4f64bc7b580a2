/**
 * 事实无人抚养儿童基本生活保障 through the real HTTP handlers on DynamoDB Local: the form's
 * eligibility rules, the chain township visit → 7-day public notice (a timer step passed by the
 * sweeper, or stopped by an objection) → city confirmation with the standard in force, monthly
 * payment batches (one per township and month, also under concurrent creation), the family's
 * view of what was paid, the annual review and the end at 18. The clock is shifted with
 * CLOCK_OFFSET_MS, as the local runtime's is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '#core/id-number';
import { fixtureForm } from '../support/forms.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

const SERVICE = 'child-living-allowance';
const carer: Claims = { sub: 'carer-lin', role: 'parent', email: 'lin.agong@example.com' };
const otherParent: Claims = { sub: 'parent-other', role: 'parent', email: 'o@example.com' };
const township: Claims = {
  sub: 'cw-ca-liushi',
  role: 'caseworker',
  agency: 'ca-township',
  township: 'liushi',
};
const otherTownship: Claims = {
  sub: 'cw-ca-lecheng',
  role: 'caseworker',
  agency: 'ca-township',
  township: 'lecheng',
};
const city: Claims = { sub: 'cw-ca-city', role: 'caseworker', agency: 'ca-city' };
const admin: Claims = { sub: 'admin-1', role: 'admin' };

let invoke: Awaited<ReturnType<typeof setupHandlers>>['invoke'];
let sweep: () => Promise<{ applied: number }>;
let lifecycle: () => Promise<Record<string, number>>;

/** Moves the service clock to `iso` (China time is UTC+8). */
const setNow = (iso: string) => {
  process.env.CLOCK_OFFSET_MS = String(Date.parse(iso) - Date.now());
};

/** A fresh child (own ID number) so that each case is its own open application. */
let n = 100;
function form(patch: (f: Record<string, any>) => void = () => {}, birthDate = '2012-06-01') {
  const f = fixtureForm(SERVICE);
  f.child.birthDate = birthDate;
  f.child.idNumber = makeIdNumber('330382', birthDate, String(++n));
  patch(f);
  return f;
}

const visit = {
  visitDate: '2026-12-03',
  fatherCondition: 'imprisoned',
  motherCondition: 'lost-contact',
  household: 'with-grandparents',
  findings: '入户核实：父亲服刑，母亲失联，由祖父抚养',
};

async function submit(f = form(), who = carer) {
  const res = await invoke('POST /applications', who, { body: { service: SERVICE, form: f } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

async function township_approves(id: string) {
  const res = await invoke('POST /applications/{id}/steps/{step}/decision', township, {
    params: { id, step: 'township-review' },
    body: { decision: 'approve', outputs: visit },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const stepOf = (view: any, step: string) => view.steps.find((s: any) => s.step === step);

beforeAll(async () => {
  setNow('2026-12-02T02:00:00Z');
  ({ invoke } = await setupHandlers());
  const { wiring } = await import('#shared/wiring');
  sweep = async () => (await wiring().service()).sweep();
  const job = await import('../../functions/services/child-living-allowance/lifecycle-job.ts');
  lifecycle = async () => (await job.handler()) as Record<string, number>;
});

afterAll(() => {
  delete process.env.CLOCK_OFFSET_MS;
});

describe('the application form', () => {
  it('refuses parents of whom one can care for the child, with a field message in zh-CN and en', async () => {
    const res = await invoke('POST /applications', carer, {
      body: { service: SERVICE, form: form((f) => (f.mother.condition = 'able')) },
    });
    expect(res.status).toBe(400);
    const field = res.body.error.fields.find((x: any) => x.path === 'form.mother.condition');
    expect(field.messages['zh-CN']).toContain('不属于事实无人抚养儿童');
    expect(field.messages.en).toContain('not without caregivers');
  });

  it('sends two dead or missing parents to the orphans’ allowance', async () => {
    const res = await invoke('POST /applications', carer, {
      body: {
        service: SERVICE,
        form: form((f) => {
          f.father.condition = 'deceased';
          f.mother.condition = 'declared-missing';
        }),
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((x: any) => x.path)).toContain('form.mother.condition');
  });

  it('accepts one parent dead and the other imprisoned', async () => {
    const id = await submit(
      form((f) => {
        f.father.condition = 'deceased';
        f.mother.condition = 'imprisoned';
      }),
    );
    expect(id).toMatch(/^[0-9A-Z]{26}$/);
  });

  it('refuses lost contact of less than 6 months, and a child of 18', async () => {
    const short = await invoke('POST /applications', carer, {
      body: { service: SERVICE, form: form((f) => (f.mother.since = '2026-10-01')) },
    });
    expect(short.status).toBe(400);
    expect(short.body.error.fields.map((x: any) => x.path)).toContain('form.mother.since');
    const adult = await invoke('POST /applications', carer, {
      body: { service: SERVICE, form: form(() => {}, '2008-11-30') },
    });
    expect(adult.status).toBe(400);
    expect(adult.body.error.fields.map((x: any) => x.path)).toContain('form.child.birthDate');
  });

  it('needs the committee’s name when a village committee applies for the family', async () => {
    const res = await invoke('POST /applications', carer, {
      body: { service: SERVICE, form: form((f) => (f.applicant = { kind: 'committee' })) },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((x: any) => x.path)).toContain('form.applicant.committee');
    const ok = await invoke('POST /applications', carer, {
      body: {
        service: SERVICE,
        form: form(
          (f) =>
            (f.applicant = {
              kind: 'committee',
              committee: { name: '柳市镇长虹村村民委员会', contactName: '郑主任', phone: '13905770001' },
            }),
        ),
      },
    });
    expect(ok.status).toBe(201);
  });

  it('keeps one open application per child (409), and stores ID numbers and the account encrypted', async () => {
    const f = form();
    await submit(f);
    const again = await invoke('POST /applications', carer, { body: { service: SERVICE, form: f } });
    expect(again.status).toBe(409);
    const mine = await invoke('GET /applications', carer);
    const shown = mine.body.items.find((a: any) => a.form.child.birthDate === f.child.birthDate);
    expect(shown.form.child.idNumber).toMatch(/^3303\*+\d{3}[\dX]$/);
    expect(shown.form.bank.accountNumber).not.toBe(f.bank.accountNumber);
  });
});

describe('the public notice', () => {
  it('opens for 7 days after the home visit and passes by itself when no objection came', async () => {
    setNow('2026-12-02T02:00:00Z');
    const id = await submit();
    const after = await township_approves(id);
    const notice = stepOf(after, 'public-notice');
    expect(notice.status).toBe('open');
    // 7 calendar days (weekends count), to the second
    expect(notice.dueAt.slice(0, 19)).toBe('2026-12-09T02:00:00');
    expect(stepOf(after, 'township-review').outputs).toMatchObject({ household: 'with-grandparents' });

    setNow('2026-12-08T02:00:00Z');
    await sweep();
    expect(
      stepOf((await invoke('GET /applications/{id}', carer, { params: { id } })).body, 'public-notice')
        .status,
    ).toBe('open');
    setNow('2026-12-09T02:00:01Z');
    await sweep();
    const view = (await invoke('GET /applications/{id}', carer, { params: { id } })).body;
    expect(stepOf(view, 'public-notice').status).toBe('done');
    expect(stepOf(view, 'city-confirmation').status).toBe('open');
  });

  it('turns an objection into the township’s review, which may uphold it', async () => {
    setNow('2026-12-02T02:00:00Z');
    const id = await submit();
    await township_approves(id);
    setNow('2026-12-04T02:00:00Z');
    const elsewhere = await invoke('POST /child-allowance/applications/{id}/objection', otherTownship, {
      params: { id },
      body: { note: '邻居反映母亲已回家' },
    });
    expect(elsewhere.status).toBe(404);
    const objected = await invoke('POST /child-allowance/applications/{id}/objection', township, {
      params: { id },
      body: { note: '邻居反映母亲已回家' },
    });
    expect(objected.status, JSON.stringify(objected.body)).toBe(200);
    const notice = stepOf(objected.body, 'public-notice');
    expect(notice).toMatchObject({ status: 'claimed', reason: { code: 'objection' } });
    // the notice no longer passes by itself
    setNow('2026-12-10T02:00:00Z');
    await sweep();
    expect(
      stepOf((await invoke('GET /applications/{id}', township, { params: { id } })).body, 'public-notice')
        .status,
    ).toBe('claimed');
    const upheld = await invoke('POST /applications/{id}/steps/{step}/decision', township, {
      params: { id, step: 'public-notice' },
      body: { decision: 'reject', reason: 'objection-upheld' },
    });
    expect(upheld.status).toBe(200);
    expect(upheld.body.status).toBe('rejected');
  });

  it('lets exactly one of an objection and the notice’s end (then the confirmation) win', async () => {
    setNow('2026-12-02T02:00:00Z');
    const id = await submit();
    await township_approves(id);
    setNow('2026-12-09T02:00:01Z');
    const [objection, confirmation] = await Promise.all([
      invoke('POST /child-allowance/applications/{id}/objection', township, {
        params: { id },
        body: { note: '公示最后一天收到的异议' },
      }),
      sweep().then(() =>
        invoke('POST /child-allowance/applications/{id}/confirm', city, { params: { id }, body: {} }),
      ),
    ]);
    const wins = [objection.status, confirmation.status].filter((s) => s === 200);
    expect(wins).toHaveLength(1);
    expect([objection.status, confirmation.status].filter((s) => s === 409)).toHaveLength(1);
    const view = (await invoke('GET /applications/{id}', admin, { params: { id } })).body;
    if (objection.status === 200) expect(stepOf(view, 'public-notice').status).toBe('claimed');
    else expect(view.status).toBe('completed');
  });
});

describe('the reports', () => {
  it('report the service’s processing times, breaches and throughput to auditors (no per-service code)', async () => {
    const auditor: Claims = { sub: 'auditor-1', role: 'auditor' };
    const query = { service: SERVICE, from: '2026-12-01', to: '2027-01-31' };
    const times = await invoke('GET /reports/processing-times', auditor, { query });
    expect(times.status, JSON.stringify(times.body)).toBe(200);
    expect(times.body.service).toBe(SERVICE);
    for (const route of ['GET /reports/sla-breaches', 'GET /reports/throughput', 'GET /reports/open-cases']) {
      const res = await invoke(route, auditor, {
        query: route.endsWith('open-cases') ? { service: SERVICE } : query,
      });
      expect(res.status, `${route}: ${JSON.stringify(res.body)}`).toBe(200);
    }
  });
});

describe('the allowance', () => {
  let id = '';

  it('is confirmed by the city with the standard in force, never typed', async () => {
    setNow('2026-12-02T02:00:00Z');
    id = await submit(form(() => {}, '2012-06-01'));
    await township_approves(id);
    setNow('2026-12-09T03:00:00Z');
    await sweep();
    const typed = await invoke('POST /applications/{id}/steps/{step}/decision', city, {
      params: { id, step: 'city-confirmation' },
      body: {
        decision: 'approve',
        outputs: { standardVersion: '2026.1', year: 2026, monthlyFen: 1, startMonth: '2027-01' },
      },
    });
    expect(typed.status).toBe(409);
    const published = await invoke('PUT /child-allowance/standards/{year}', admin, {
      params: { year: '2026' },
      body: { monthlyFen: 221_000 },
    });
    expect(published.status).toBe(201);
    expect(published.body.id).toBe('2026.2');
    const confirmed = await invoke('POST /child-allowance/applications/{id}/confirm', city, {
      params: { id },
      body: {},
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('completed');
    expect(stepOf(confirmed.body, 'city-confirmation').outputs).toEqual({
      standardVersion: '2026.2',
      year: 2026,
      monthlyFen: 221_000,
      startMonth: '2027-01',
    });
    const mine = await invoke('GET /child-allowance/allowances/{id}', carer, { params: { id } });
    expect(mine.body.allowance).toMatchObject({
      status: 'active',
      startMonth: '2027-01',
      nextReviewOn: '2027-12-09',
    });
    expect(
      (await invoke('GET /child-allowance/allowances/{id}', otherParent, { params: { id } })).status,
    ).toBe(404);
  });

  it('pays three months through township batches, one per month, and the family sees them', async () => {
    setNow('2027-03-20T02:00:00Z');
    for (const month of ['2027-01', '2027-02', '2027-03']) {
      const created = await invoke('POST /child-allowance/batches', township, {
        body: { township: 'liushi', month },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.count).toBeGreaterThanOrEqual(1);
      const closed = await invoke('POST /child-allowance/batches/{township}/{month}/close', township, {
        params: { township: 'liushi', month },
        body: {},
      });
      expect(closed.body.status).toBe('closed');
      expect(
        (
          await invoke('POST /child-allowance/batches/{township}/{month}/paid', township, {
            params: { township: 'liushi', month },
            body: { paymentReference: `YQ-${month}` },
          })
        ).status,
      ).toBe(403);
      const paid = await invoke('POST /child-allowance/batches/{township}/{month}/paid', city, {
        params: { township: 'liushi', month },
        body: { paymentReference: `YQ-${month}` },
      });
      expect(paid.body.status).toBe('paid');
    }
    const mine = await invoke('GET /child-allowance/allowances/{id}', carer, { params: { id } });
    expect(mine.body.payments.map((p: any) => [p.month, p.amountFen, p.status])).toEqual([
      ['2027-01', 213_000, 'paid'],
      ['2027-02', 213_000, 'paid'],
      ['2027-03', 213_000, 'paid'],
    ]);
    const events = (await invoke('GET /applications/{id}/events', carer, { params: { id } })).body.items;
    expect(events.filter((e: any) => e.type === 'allowance-paid')).toHaveLength(3);
    const seqs = events.map((e: any) => e.seq).sort((a: number, b: number) => a - b);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => i));
  });

  it('creates only one batch when two are created for the same month and township at once', async () => {
    setNow('2027-04-20T02:00:00Z');
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        invoke('POST /child-allowance/batches', township, { body: { township: 'liushi', month: '2027-04' } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(results.find((r) => r.status === 409)?.body.error.code).toBe('BATCH_EXISTS');
    const batch = await invoke('GET /child-allowance/batches/{township}/{month}', city, {
      params: { township: 'liushi', month: '2027-04' },
    });
    expect(batch.body.payments.filter((p: any) => p.appId === id)).toHaveLength(1);
    expect(
      (
        await invoke('POST /child-allowance/batches', otherTownship, {
          body: { township: 'liushi', month: '2027-05' },
        })
      ).status,
    ).toBe(403);
  });

  it('closes and pays a batch once when both are clicked twice at once; each child is paid once', async () => {
    setNow('2027-04-25T02:00:00Z');
    const params = { township: 'liushi', month: '2027-04' };
    const closes = await Promise.all(
      [township, city].map((who) =>
        invoke('POST /child-allowance/batches/{township}/{month}/close', who, { params, body: {} }),
      ),
    );
    expect(closes.map((r) => r.status).sort()).toEqual([200, 409]);
    const pays = await Promise.all(
      [1, 2].map(() =>
        invoke('POST /child-allowance/batches/{township}/{month}/paid', city, {
          params,
          body: { paymentReference: 'YQ-2027-04' },
        }),
      ),
    );
    expect(pays.some((r) => r.status === 200 && r.body.status === 'paid')).toBe(true);
    expect(pays.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const events = (await invoke('GET /applications/{id}/events', carer, { params: { id } })).body.items;
    expect(events.filter((e: any) => e.type === 'allowance-paid' && e.data.month === '2027-04')).toHaveLength(
      1,
    );
    const mine = await invoke('GET /child-allowance/allowances/{id}', carer, { params: { id } });
    expect(mine.body.payments.find((p: any) => p.month === '2027-04')).toMatchObject({
      status: 'paid',
      paymentReference: 'YQ-2027-04',
    });
  });

  it('never loses a version when two admins publish the same year at once', async () => {
    const results = await Promise.all(
      [222_000, 223_000].map((monthlyFen) =>
        invoke('PUT /child-allowance/standards/{year}', admin, {
          params: { year: '2028' },
          body: { monthlyFen },
        }),
      ),
    );
    // each publication read the version before it: a second on the same base is a 409, never an overwrite
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const published = results.filter((r) => r.status === 201).map((r) => r.body);
    expect(new Set(published.map((p) => p.id)).size).toBe(published.length);
    const current = await invoke('GET /child-allowance/standards/{year}', carer, {
      params: { year: '2028' },
    });
    const last = published.sort((a, b) => a.version - b.version).at(-1);
    expect(current.body).toMatchObject({ id: last.id, monthlyFen: last.monthlyFen });
  });

  it('opens the annual review by itself on the anniversary, and the township continues it', async () => {
    setNow('2027-12-08T10:00:00Z'); // 18:00 on 8 December, China time
    expect((await lifecycle()).reviewsOpened).toBe(0);
    setNow('2027-12-09T01:00:00Z');
    expect((await lifecycle()).reviewsOpened).toBeGreaterThanOrEqual(1);
    const opened = (await invoke('GET /child-allowance/allowances/{id}', township, { params: { id } })).body
      .allowance;
    expect(opened.review).toMatchObject({ year: 2027 });
    const done = await invoke('POST /child-allowance/allowances/{id}/review', township, {
      params: { id },
      body: { outcome: 'continue' },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ nextReviewOn: '2028-12-09', reviews: 1 });
    const twice = await invoke('POST /child-allowance/allowances/{id}/review', township, {
      params: { id },
      body: { outcome: 'continue' },
    });
    expect(twice.status).toBe(409);
  });

  it('warns a month before the 18th birthday and ends on it; payments stop from the next month', async () => {
    setNow('2030-04-30T02:00:00Z');
    await lifecycle();
    let a = (await invoke('GET /child-allowance/allowances/{id}', carer, { params: { id } })).body.allowance;
    expect(a.ageNoticeAt).toBeUndefined();
    setNow('2030-05-01T02:00:00Z');
    await lifecycle();
    a = (await invoke('GET /child-allowance/allowances/{id}', carer, { params: { id } })).body.allowance;
    expect(a.ageNoticeAt).toBeDefined();
    expect(a.status).toBe('active');
    setNow('2030-06-01T02:00:00Z');
    await lifecycle();
    a = (await invoke('GET /child-allowance/allowances/{id}', carer, { params: { id } })).body.allowance;
    expect(a).toMatchObject({ status: 'ended', endReason: 'age-18', endMonth: '2030-06' });
    setNow('2030-07-20T02:00:00Z');
    const july = await invoke('POST /child-allowance/batches', township, {
      body: { township: 'liushi', month: '2030-07' },
    });
    expect(july.status).toBe(201);
    const lines = await invoke('GET /child-allowance/batches/{township}/{month}', township, {
      params: { township: 'liushi', month: '2030-07' },
    });
    expect(lines.body.payments.some((p: any) => p.appId === id)).toBe(false);
    const types = (await invoke('GET /applications/{id}/events', carer, { params: { id } })).body.items.map(
      (e: any) => e.type,
    );
    expect(types).toEqual(
      expect.arrayContaining(['annual-review-opened', 'termination-notice', 'allowance-terminated']),
    );
  });

  it('ends on a changed condition: pending payments after that month are cancelled, twice is a 409', async () => {
    setNow('2026-12-02T02:00:00Z');
    const other = await submit(form(() => {}, '2015-02-10'));
    await township_approves(other);
    setNow('2026-12-09T03:00:00Z');
    await sweep();
    await invoke('POST /child-allowance/applications/{id}/confirm', city, {
      params: { id: other },
      body: {},
    });
    setNow('2027-05-20T02:00:00Z');
    const may = await invoke('POST /child-allowance/batches', township, {
      body: { township: 'liushi', month: '2027-05' },
    });
    expect(may.status).toBe(201);
    const body = { reason: 'adopted', effectiveDate: '2027-04-28' };
    const [one, two] = await Promise.all([
      invoke('POST /child-allowance/allowances/{id}/terminate', township, { params: { id: other }, body }),
      invoke('POST /child-allowance/allowances/{id}/terminate', city, { params: { id: other }, body }),
    ]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
    const mine = (await invoke('GET /child-allowance/allowances/{id}', carer, { params: { id: other } }))
      .body;
    expect(mine.allowance).toMatchObject({ status: 'ended', endMonth: '2027-04', endReason: 'adopted' });
    expect(mine.payments.find((p: any) => p.month === '2027-05')?.status).toBe('cancelled');
  });
});
