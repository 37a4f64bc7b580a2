/**
 * The childcare routes through the real handler modules (in-process API Gateway events) on
 * DynamoDB Local: who may do what (route × role), the bilingual 400 for an ineligible age, the
 * 409 for a second registration of the same child, the waitlist position a parent sees, and the
 * figures for auditors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { childForm, upcoming } from '../support/childcare.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

const who = {
  parentA: { sub: 'cc-parent-a', role: 'parent', email: 'a@example.com' },
  parentB: { sub: 'cc-parent-b', role: 'parent' },
  health: { sub: 'cc-health', role: 'caseworker', agency: 'health' },
  nurseryStaff: { sub: 'cc-staff', role: 'caseworker', agency: 'nursery:http-one' },
  cdc: { sub: 'cc-cdc', role: 'caseworker', agency: 'cdc' },
  auditor: { sub: 'cc-auditor', role: 'auditor' },
  admin: { sub: 'cc-admin', role: 'admin' },
  anonymous: null,
} satisfies Record<string, Claims | null>;
type Who = keyof typeof who;
const roles = Object.keys(who) as Who[];
const all = (status: number, overrides: Partial<Record<Who, number>> = {}): Record<Who, number> =>
  ({ ...Object.fromEntries(roles.map((r) => [r, status])), ...overrides }) as Record<Who, number>;

const { term, birthDate } = upcoming();
let invoke: Awaited<ReturnType<typeof setupHandlers>>['invoke'];
let child = 7000;

const nurseryBody = (township = 'liushi') => ({
  name: { 'zh-CN': '测试托育园', en: 'Test nursery' },
  township,
  address: '柳市镇测试路 1 号',
  licenceNumber: '330382TY2024100',
  type: 'inclusive',
  places: { toddler: 40, 'older-toddler': 40 },
});

async function registerChild(claims: Claims, opts: { preferences?: string[]; birthDate?: string } = {}) {
  return invoke('POST /applications', claims, {
    body: {
      service: 'childcare-slot',
      form: childForm(child++, {
        term,
        birthDate: opts.birthDate ?? birthDate,
        preferences: opts.preferences ?? ['http-one'],
      }),
    },
  });
}

beforeAll(async () => {
  ({ invoke } = await setupHandlers());
  for (const id of ['http-one', 'http-full']) {
    expect(
      (
        await invoke('PUT /childcare/nurseries/{nurseryId}', who.admin, {
          params: { nurseryId: id },
          body: nurseryBody(),
        })
      ).status,
    ).toBe(200);
  }
  const open = (id: string, capacity: number) =>
    invoke('PUT /childcare/nurseries/{nurseryId}/intakes/{term}/{class}', who.health, {
      params: { nurseryId: id, term, class: 'toddler' },
      body: { capacity, mode: 'rolling' },
    });
  expect((await open('http-one', 30)).status).toBe(200);
  expect((await open('http-full', 1)).status).toBe(200);
});

describe('childcare routes × roles', () => {
  const cells: Record<
    string,
    { run: (w: Who) => Promise<{ status: number; body: any }>; expect: Record<Who, number> }
  > = {
    'POST /applications/{id}/steps/{step}/respond': {
      run: async (w) => {
        const app = await registerChild(who.parentA);
        return invoke('POST /applications/{id}/steps/{step}/respond', who[w], {
          params: { id: app.body.id, step: 'offer' },
          body: { response: 'accept' },
        });
      },
      expect: all(403, { parentA: 200, parentB: 404, anonymous: 401 }),
    },
    'GET /childcare/nurseries': {
      run: (w) => invoke('GET /childcare/nurseries', who[w], { query: { term } }),
      expect: all(200),
    },
    'PUT /childcare/nurseries/{nurseryId}': {
      run: (w) =>
        invoke('PUT /childcare/nurseries/{nurseryId}', who[w], {
          params: { nurseryId: 'http-matrix' },
          body: nurseryBody(),
        }),
      expect: all(403, { health: 200, admin: 200, anonymous: 401 }),
    },
    'PUT /childcare/nurseries/{nurseryId}/intakes/{term}/{class}': {
      run: (w) =>
        invoke('PUT /childcare/nurseries/{nurseryId}/intakes/{term}/{class}', who[w], {
          params: { nurseryId: 'http-one', term, class: 'older-toddler' },
          body: { capacity: 10, mode: 'rolling' },
        }),
      expect: all(403, { health: 200, admin: 200, anonymous: 401 }),
    },
    'GET /childcare/rounds/{term}': {
      run: (w) => invoke('GET /childcare/rounds/{term}', who[w], { params: { term: '2031-03' } }),
      expect: all(404, { parentA: 403, parentB: 403, anonymous: 401 }),
    },
    'POST /childcare/rounds/{term}/allocate': {
      run: (w) =>
        invoke('POST /childcare/rounds/{term}/allocate', who[w], { params: { term: '2031-03' }, body: {} }),
      expect: all(403, { health: 404, admin: 404, anonymous: 401 }),
    },
    'GET /reports/childcare': {
      run: (w) => invoke('GET /reports/childcare', who[w], { query: { term } }),
      expect: all(403, { health: 200, auditor: 200, admin: 200, anonymous: 401 }),
    },
  };
  for (const [route, cell] of Object.entries(cells)) {
    for (const role of roles) {
      it(`${route} as ${role} → ${cell.expect[role]}`, async () => {
        const res = await cell.run(role);
        expect(res.status, JSON.stringify(res.body)).toBe(cell.expect[role]);
        if (res.status >= 400) expect(res.body.error?.code ?? res.body.message).toBeTruthy();
      });
    }
  }
});

describe('childcare registration over HTTP', () => {
  it('answers an ineligible age with a 400 naming the field and the reason in zh-CN and en, storing nothing', async () => {
    const res = await invoke('POST /applications', who.parentB, {
      body: {
        service: 'childcare-slot',
        form: childForm(child++, { term, birthDate: '2019-05-01', preferences: ['http-one'] }),
      },
      headers: { 'accept-language': 'en' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.fields).toEqual([
      expect.objectContaining({ path: 'form.child.birthDate', code: 'childcare.age.tooOld' }),
    ]);
    expect(res.body.error.fields[0].message).toMatch(/months old, 3 years or older/);
    expect(res.body.error.fields[0].messages['zh-CN']).toMatch(/已满 3 周岁/);
    expect((await invoke('GET /applications', who.parentB)).body.items).toEqual([]);
  });

  it('answers a second registration of the same child with 409, even from another account', async () => {
    const form = childForm(child++, { term, birthDate, preferences: ['http-one'] });
    const firstRes = await invoke('POST /applications', who.parentA, {
      body: { service: 'childcare-slot', form },
    });
    expect(firstRes.status, JSON.stringify(firstRes.body)).toBe(201);
    const again = await invoke('POST /applications', who.parentB, {
      body: { service: 'childcare-slot', form },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DUPLICATE_APPLICATION');
  });

  it('shows the parent the waitlist position, and the nursery staff the enrolment task after acceptance', async () => {
    const first = await registerChild(who.parentA, { preferences: ['http-full'] });
    expect(first.body.steps.find((s: { step: string }) => s.step === 'offer').status).toBe('open');
    const second = await registerChild(who.parentB, { preferences: ['http-full'] });
    expect(second.status).toBe(201);
    const view = await invoke('GET /applications/{id}', who.parentB, { params: { id: second.body.id } });
    expect(view.body.waitlist).toEqual([
      expect.objectContaining({ org: 'http-full', position: 1, length: 1, pending: false }),
    ]);
    // the nursery's staff see the same position on the case (masked, read only); another nursery does not
    const waitingAt = { sub: 'cc-full-reader', role: 'caseworker', agency: 'nursery:http-full' };
    const staffView = await invoke('GET /applications/{id}', waitingAt, { params: { id: second.body.id } });
    expect(staffView.status).toBe(200);
    expect(staffView.body.waitlist).toEqual(view.body.waitlist);
    const elsewhere = { sub: 'cc-other-reader', role: 'caseworker', agency: 'nursery:http-other' };
    expect(
      (await invoke('GET /applications/{id}', elsewhere, { params: { id: second.body.id } })).status,
    ).toBe(404);
    const reveal = await invoke('POST /applications/{id}/reveal', waitingAt, {
      params: { id: second.body.id },
      body: { path: 'guardians.first.idNumber', reason: '核对候补家庭身份信息' },
    });
    expect(reveal.status).toBe(403);
    const accepted = await invoke('POST /applications/{id}/steps/{step}/respond', who.parentA, {
      params: { id: first.body.id, step: 'offer' },
      body: { response: 'accept' },
    });
    expect(accepted.body.steps.find((s: { step: string }) => s.step === 'enrolment')).toMatchObject({
      status: 'open',
      agency: 'nursery:http-full',
    });
    const staff = { sub: 'cc-full-staff', role: 'caseworker', agency: 'nursery:http-full' };
    const queue = await invoke('GET /tasks', staff, { query: { status: 'open' } });
    expect(queue.body.items.map((t: { appId: string }) => t.appId)).toEqual([first.body.id]);
    const done = await invoke('POST /applications/{id}/steps/{step}/decision', staff, {
      params: { id: first.body.id, step: 'enrolment' },
      body: { decision: 'approve' },
    });
    expect(done.body.status).toBe('completed');
  });

  it('refuses an intake above the licensed places and a capacity below the places taken', async () => {
    const above = await invoke('PUT /childcare/nurseries/{nurseryId}/intakes/{term}/{class}', who.admin, {
      params: { nurseryId: 'http-one', term, class: 'toddler' },
      body: { capacity: 41, mode: 'rolling' },
    });
    expect(above.status).toBe(400);
    expect(above.body.error.fields[0].path).toBe('capacity');
    const below = await invoke('PUT /childcare/nurseries/{nurseryId}/intakes/{term}/{class}', who.admin, {
      params: { nurseryId: 'http-full', term, class: 'toddler' },
      body: { capacity: 0, mode: 'rolling' },
    });
    expect(below.status).toBe(400);
    expect(below.body.error.code).toBe('CAPACITY_BELOW_TAKEN');
  });

  it('seeds the register and reports places per 1,000 residents against the 4.5 target', async () => {
    const seeded = await invoke('POST /childcare/seed', who.admin, { body: {} });
    expect(seeded.status).toBe(200);
    expect(seeded.body.nurseries).toBeGreaterThanOrEqual(25);
    const report = await invoke('GET /reports/childcare', who.auditor, { query: { term } });
    expect(report.status).toBe(200);
    const { city, townships, nurseries, target } = report.body;
    expect(target).toBe(4.5);
    expect(city.population).toBe(
      townships.reduce((s: number, t: { population: number }) => s + t.population, 0),
    );
    expect(city.places).toBe(townships.reduce((s: number, t: { places: number }) => s + t.places, 0));
    expect(city.placesPer1000).toBeCloseTo((city.places * 1000) / city.population, 2);
    expect(
      townships.find((t: { township: string }) => t.township === 'liushi').nurseries,
    ).toBeGreaterThanOrEqual(4);
    const full = nurseries.find((n: { id: string }) => n.id === 'http-full');
    expect(full.intakes[0]).toMatchObject({
      class: 'toddler',
      capacity: 1,
      enrolled: 1,
      offered: 0,
      free: 0,
      waiting: 1,
      occupancy: 1,
    });
    expect(JSON.stringify(report.body)).not.toMatch(/\d{17}[\dX]/);
    const list = await invoke('GET /childcare/nurseries', null, { query: { term, township: 'liushi' } });
    expect(
      list.body.items.some(
        (n: { id: string; intakes: unknown[] }) => n.id === 'liushi-gongban' && n.intakes.length > 0,
      ),
    ).toBe(true);
  });
});
