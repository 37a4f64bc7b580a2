/**
 * 好差评 through the real handlers on DynamoDB Local: the family rates an ended case once (also
 * when the button is clicked twice at once), a 差评 opens a follow-up in the citizen service
 * centre's queue with its SLA (call back within 1 working day, resolve within 5), the centre
 * works it once, and the auditors' report counts ratings per service, agency and township, also
 * as CSV. Bad input is a field-level 400 that stores nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '#core/calendar';
import { chinaYear } from '#services/rehab-aid/eligibility';
import { fixtureForm } from '../support/forms.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

let ctx: Awaited<ReturnType<typeof setupHandlers>>;
beforeAll(async () => {
  ctx = await setupHandlers();
});

const family: Claims = { sub: 'rating-family', role: 'parent' };
const otherFamily: Claims = { sub: 'rating-other', role: 'parent' };
const centre: Claims = { sub: 'cw-service-centre', role: 'caseworker', agency: 'service-center' };
const township: Claims = {
  sub: 'cw-dpf-liushi',
  role: 'caseworker',
  agency: 'dpf-township',
  township: 'liushi',
};
const auditor: Claims = { sub: 'auditor-r', role: 'auditor' };

async function ok(route: string, who: Claims, req: Record<string, unknown> = {}) {
  const res = await ctx.invoke(route, who, req);
  expect(res.status, `${route}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

/** A rehab case the township refuses: it ends `rejected`, decided by dpf-township. */
async function rejectedCase(who = family): Promise<string> {
  const form = fixtureForm('rehab-aid');
  form.application.aidYear = chinaYear(new Date());
  const app = await ok('POST /applications', who, { body: { service: 'rehab-aid', form } });
  await ok('POST /applications/{id}/steps/{step}/decision', township, {
    params: { id: app.id, step: 'township-review' },
    body: { decision: 'reject', reason: 'not-resident' },
  });
  return app.id;
}

async function withdrawnCase(who = family): Promise<string> {
  const form = fixtureForm('rehab-aid');
  form.application.aidYear = chinaYear(new Date());
  const app = await ok('POST /applications', who, { body: { service: 'rehab-aid', form } });
  await ok('POST /applications/{id}/withdraw', who, { params: { id: app.id }, body: {} });
  return app.id;
}

const rate = (who: Claims, id: string, body: unknown) =>
  ctx.invoke('POST /applications/{id}/rating', who, { params: { id }, body });

describe('好差评', () => {
  it('takes one rating per ended case, even when sent twice at once; none before the end or from another family', async () => {
    const form = fixtureForm('rehab-aid');
    form.application.aidYear = chinaYear(new Date());
    const open = await ok('POST /applications', family, { body: { service: 'rehab-aid', form } });
    const early = await rate(family, open.id, { score: 'satisfied' });
    expect(early.status).toBe(409);
    expect(early.body.error.messages['zh-CN']).toContain('办结后才能评价');

    const id = await withdrawnCase();
    expect((await rate(otherFamily, id, { score: 'satisfied' })).status).toBe(404);
    expect((await rate(centre, id, { score: 'satisfied' })).status).toBe(403);
    const twice = await Promise.all([
      rate(family, id, { score: 'satisfied', comment: '办理很快' }),
      rate(family, id, { score: 'very-satisfied' }),
    ]);
    expect(twice.map((r) => r.status).sort()).toEqual([201, 409]);
    const stored = await ok('GET /applications/{id}/rating', family, { params: { id } });
    expect(stored.rating).toMatchObject({ appId: id, service: 'rehab-aid', outcome: 'withdrawn' });
    expect((await ctx.invoke('GET /applications/{id}/rating', otherFamily, { params: { id } })).status).toBe(
      404,
    );
  });

  it('refuses an unknown score and a comment with an ID number, field by field in zh-CN and en, storing nothing', async () => {
    const id = await withdrawnCase();
    const bad = await rate(family, id, { score: 'meh' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0]).toMatchObject({ path: 'score' });
    const pii = await rate(family, id, {
      score: 'dissatisfied',
      comment: '我的身份证 330382202205141230 被写错',
    });
    expect(pii.status).toBe(400);
    const field = pii.body.error.fields.find((f: { path: string }) => f.path === 'comment');
    expect(field.messages['zh-CN']).not.toBe('');
    expect(field.messages.en).not.toBe('');
    expect((await ok('GET /applications/{id}/rating', family, { params: { id } })).rating).toBeNull();
  });

  it('opens a follow-up for a 非常不满意 with its SLA in the service centre’s queue; the centre calls back, then resolves, once each', async () => {
    const id = await rejectedCase();
    const res = await rate(family, id, { score: 'very-dissatisfied', comment: '材料要求说明不清楚' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      followUp: true,
      rating: { outcome: 'rejected', agencies: ['dpf-township'] },
    });

    expect((await ctx.invoke('GET /followups', township)).status).toBe(403);
    const queue = (await ok('GET /followups', centre, { query: { status: 'open' } })).items;
    const item = queue.find((f: { appId: string }) => f.appId === id);
    const calendar = new WorkingCalendar();
    const ratedAt = new Date(res.body.rating.ratedAt);
    expect(item).toMatchObject({
      status: 'open',
      score: 'very-dissatisfied',
      overdue: false,
      contactDueAt: calendar.addWorkingDays(ratedAt, 1).at.toISOString(),
      resolveDueAt: calendar.addWorkingDays(ratedAt, 5).at.toISOString(),
    });
    // no name, ID number or form content in the queue: the number, the score and the family's words
    expect(JSON.stringify(item)).not.toMatch(/陈乐乐|3303822022/);

    const early = await ctx.invoke('POST /followups/{id}/resolve', centre, {
      params: { id },
      body: { outcome: '已解释' },
    });
    expect(early.status).toBe(409);
    const calls = await Promise.all([
      ctx.invoke('POST /followups/{id}/contact', centre, {
        params: { id },
        body: { note: '已电话回访家长' },
      }),
      ctx.invoke('POST /followups/{id}/contact', centre, { params: { id }, body: { note: '已电话回访' } }),
    ]);
    expect(calls.map((c) => c.status).sort()).toEqual([200, 409]);
    const resolved = await ok('POST /followups/{id}/resolve', centre, {
      params: { id },
      body: { outcome: '已向家长说明户籍核实要求，并协助补充材料重新申请' },
    });
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: centre.sub });
    const done = (await ok('GET /followups', centre, { query: { status: 'resolved' } })).items;
    expect(done.map((f: { appId: string }) => f.appId)).toContain(id);
  });

  it('counts the year’s ratings per service, agency and township for the auditors, as JSON and CSV', async () => {
    const year = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
    const report = async () => ok('GET /reports/ratings', auditor, { query: { year: String(year) } });
    const count = (
      list: Array<{ key: string; total: number; byScore: Record<string, number> }>,
      key: string,
    ) => list.find((c) => c.key === key) ?? { total: 0, byScore: {} as Record<string, number> };
    const before = await report();
    const a = await rejectedCase({ sub: 'r-a', role: 'parent' });
    const b = await withdrawnCase({ sub: 'r-b', role: 'parent' });
    const c = await withdrawnCase({ sub: 'r-c', role: 'parent' });
    await rate({ sub: 'r-a', role: 'parent' }, a, { score: 'dissatisfied' });
    await rate({ sub: 'r-b', role: 'parent' }, b, { score: 'very-satisfied' });
    await rate({ sub: 'r-c', role: 'parent' }, c, { score: 'basically-satisfied' });
    expect((await ctx.invoke('GET /reports/ratings', family, { query: { year: String(year) } })).status).toBe(
      403,
    );
    const after = await report();
    expect(after.total - before.total).toBe(3);
    for (const [score, added] of Object.entries({
      'very-satisfied': 1,
      'basically-satisfied': 1,
      dissatisfied: 1,
      satisfied: 0,
    })) {
      expect(after.byScore[score] - before.byScore[score], score).toBe(added);
    }
    const bad = after.byScore.dissatisfied + after.byScore['very-dissatisfied'];
    expect(after.satisfiedPct).toBe(Math.round(((after.total - bad) / after.total) * 1000) / 10);
    expect(after.followUps.opened - before.followUps.opened).toBe(1);
    expect(count(after.byService, 'rehab-aid').total - count(before.byService, 'rehab-aid').total).toBe(3);
    // only the case a caseworker decided counts for that agency; withdrawn cases have none
    expect(count(after.byAgency, 'dpf-township').total - count(before.byAgency, 'dpf-township').total).toBe(
      1,
    );
    expect(count(after.byTownship, 'liushi').total - count(before.byTownship, 'liushi').total).toBe(3);

    const csv = await ctx.invoke('GET /reports/ratings', auditor, {
      query: { year: String(year), format: 'csv' },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = String(csv.body).trim().split('\n');
    expect(lines[0]).toBe(
      'dimension,key,total,非常满意 very-satisfied,满意 satisfied,基本满意 basically-satisfied,不满意 dissatisfied,非常不满意 very-dissatisfied,satisfied_pct',
    );
    const service = count(after.byService, 'rehab-aid') as {
      total: number;
      byScore: Record<string, number>;
      satisfiedPct: number;
    };
    expect(lines).toContain(
      [
        'service',
        'rehab-aid',
        service.total,
        ...['very-satisfied', 'satisfied', 'basically-satisfied', 'dissatisfied', 'very-dissatisfied'].map(
          (k) => service.byScore[k],
        ),
        service.satisfiedPct,
      ].join(','),
    );
  });
});
