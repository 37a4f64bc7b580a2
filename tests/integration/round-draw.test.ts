/**
 * A term's round draw under concurrency, through the real handler on DynamoDB Local: ten
 * simultaneous draws run exactly one; the others are told it is drawn or being drawn, and every
 * family is placed or waitlisted once (one event each, so one e-mail each).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childForm, upcoming } from '../support/childcare.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

const admin: Claims = { sub: 'round-admin', role: 'admin' };
const health: Claims = { sub: 'round-health', role: 'caseworker', agency: 'health' };
const { term, birthDate } = upcoming();
let ctx: Awaited<ReturnType<typeof setupHandlers>>;

const stage = process.env.STAGE;
beforeAll(async () => {
  process.env.STAGE = 'local'; // the handlers' clock honours CLOCK_OFFSET_MS (to pass the deadline)
  ctx = await setupHandlers();
});
afterAll(() => {
  if (stage === undefined) delete process.env.STAGE;
  else process.env.STAGE = stage;
});

describe('a round draw', () => {
  it('runs once when ten are started at the same time', async () => {
    // Arrange: a round intake of 2 places, 5 registrations before its deadline
    const put = await ctx.invoke('PUT /childcare/nurseries/{nurseryId}', admin, {
      params: { nurseryId: 'round-one' },
      body: {
        name: { 'zh-CN': '批次托育园', en: 'Round nursery' },
        township: 'liushi',
        address: '柳市镇批次路 1 号',
        licenceNumber: '330382TY2024200',
        type: 'inclusive',
        places: { toddler: 40 },
      },
    });
    expect(put.status).toBe(200);
    const intake = await ctx.invoke('PUT /childcare/nurseries/{nurseryId}/intakes/{term}/{class}', health, {
      params: { nurseryId: 'round-one', term, class: 'toddler' },
      body: { capacity: 2, mode: 'round', roundDeadline: new Date(Date.now() + 3600_000).toISOString() },
    });
    expect(intake.status).toBe(200);
    const families: Array<{ id: string; parent: Claims }> = [];
    for (let i = 0; i < 5; i++) {
      const parent = { sub: `round-parent-${i}`, role: 'parent', email: `round${i}@example.com` };
      const res = await ctx.invoke('POST /applications', parent, {
        body: {
          service: 'childcare-slot',
          form: childForm(8000 + i, { term, birthDate, preferences: ['round-one'] }),
        },
      });
      expect(res.status).toBe(201);
      families.push({ id: res.body.id, parent });
    }

    const eventsOf = async ({ id, parent }: { id: string; parent: Claims }) =>
      (await ctx.invoke('GET /applications/{id}/events', parent, { params: { id } })).body.items as Array<{
        type: string;
      }>;
    const before = await Promise.all(families.map(eventsOf));

    // Act: ten draws at once, after the deadline
    process.env.CLOCK_OFFSET_MS = String(2 * 3600_000);
    let draws: Awaited<ReturnType<typeof ctx.invoke>>[];
    try {
      draws = await Promise.all(
        Array.from({ length: 10 }, () =>
          ctx.invoke('POST /childcare/rounds/{term}/allocate', admin, { params: { term }, body: {} }),
        ),
      );
    } finally {
      delete process.env.CLOCK_OFFSET_MS;
    }

    // Assert: one draw; the others refused with a code saying why
    expect(draws.filter((d) => d.status === 200)).toHaveLength(1);
    for (const d of draws.filter((x) => x.status !== 200)) {
      expect(d.status).toBe(409);
      expect(['ROUND_DRAW_IN_PROGRESS', 'ROUND_ALREADY_DRAWN']).toContain(d.body.error.code);
    }
    const round = await ctx.invoke('GET /childcare/rounds/{term}', admin, { params: { term } });
    expect(round.body).toMatchObject({ status: 'allocated', entrants: 5, placed: 2 });
    // each family was drawn once: placed or waitlisted by one set of events, none repeated
    const after = await Promise.all(families.map(eventsOf));
    const drawn = families.map((_, i) => after[i]!.slice(before[i]!.length).map((e) => e.type));
    for (const types of drawn) {
      expect(types.length).toBeGreaterThan(0);
      expect(new Set(types).size, types.join(',')).toBe(types.length);
    }
    expect(drawn.filter((types) => types.includes('step-waiting'))).toHaveLength(3);
  });
});
