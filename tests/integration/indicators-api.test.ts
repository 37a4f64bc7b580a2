/**
 * The indicator board and the yearly monitoring report through the real handlers on DynamoDB
 * Local (issue 17): birth applications submitted and decided through the API, births and
 * eligible counts entered by an admin, the nursery register seeded; figures worked by hand.
 */

import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedNurseries } from '#services/childcare-slot/nurseries';
import { modules } from '#services/registry';
import { rehabKeys } from '#services/rehab-aid/keys';
import { birthDeciders } from '../support/actors.ts';
import { birthForm } from '../support/forms.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

const admin: Claims = { sub: 'admin-1', role: 'admin' };
const auditor: Claims = { sub: 'auditor-1', role: 'auditor' };
const parent: Claims = { sub: 'parent-a', role: 'parent', email: 'a@example.com' };
let invoke: Awaited<ReturnType<typeof setupHandlers>>['invoke'];
let table: Awaited<ReturnType<typeof setupHandlers>>['table'];

const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
const month = `${year}-${String(new Date(Date.now() + 8 * 3600_000).getUTCMonth() + 1).padStart(2, '0')}`;

const claimsOf = (a: {
  sub: string;
  role: string;
  agency?: string | undefined;
  township?: string | undefined;
}) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Claims;

async function submit(hospital: string): Promise<string> {
  const form = birthForm();
  form.child.hospital = hospital;
  const res = await invoke('POST /applications', parent, { body: { service: 'birth-registration', form } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

async function decideAll(id: string) {
  for (let round = 0; round < 10; round++) {
    const app = await invoke('GET /applications/{id}', parent, { params: { id } });
    if (app.body.status !== 'in-progress') return app.body.status;
    for (const s of (app.body.steps as Array<{ step: string; status: string }>).filter(
      (x) => x.status === 'open',
    )) {
      const d = birthDeciders[s.step];
      if (!d) throw new Error(s.step);
      const who = claimsOf(d.actor);
      expect(
        (
          await invoke('POST /applications/{id}/steps/{step}/claim', who, {
            params: { id, step: s.step },
            body: {},
          })
        ).status,
      ).toBe(200);
      const res = await invoke('POST /applications/{id}/steps/{step}/decision', who, {
        params: { id, step: s.step },
        body: { decision: 'approve', outputs: d.outputs },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  }
  throw new Error('not settled');
}

const ind = (body: any, id: string) => body.indicators.find((i: { id: string }) => i.id === id);
const row = (i: any, key: string) => i.rows.find((r: { key: string }) => r.key === key);

beforeAll(async () => {
  ({ invoke, table } = await setupHandlers());
  // aid plans of the year as the rehab store keeps them (keyed by the child's blind index):
  // child A (0–6) a plan and its renewal; child B (7–17) at two institutions; child C last year
  const plan = async (planId: string, child: string, institution: string, ageBand: string, y = year) =>
    table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...rehabKeys.plan(planId),
          ...rehabKeys.plansIndex(institution, y, planId),
          type: 'rehab-plan',
          planId,
          childKey: child,
          township: 'liushi',
          institution,
          ageBand,
          year: y,
        },
      }),
    );
  await plan('01PLANA0000000000000000001', 'blind-a', 'yq-rehab-center', '0-6');
  await plan('01PLANA0000000000000000002', 'blind-a', 'yq-rehab-center', '0-6');
  await plan('01PLANB0000000000000000001', 'blind-b', 'yq-rehab-center', '7-17');
  await plan('01PLANB0000000000000000002', 'blind-b', 'liushi-xingyu', '7-17');
  await plan('01PLANC0000000000000000001', 'blind-c', 'liushi-xingyu', '0-6', year - 1);
  // births this month: 人民医院 10, 妇幼 4, 三院 5 (no applications there)
  const csv = `yq-people,${month},10\nyq-mch,${month},4\nyq-third,${month},5`;
  expect((await invoke('POST /admin/reference/births/import', admin, { body: { csv } })).status).toBe(200);
  const eligible = await invoke('PUT /admin/reference/{kind}/{id}', admin, {
    params: { kind: 'eligible', id: `rehab-aid:${year}` },
    body: { version: 0, values: { children: 20, under7: 8 } },
  });
  expect(eligible.status).toBe(200);
  expect((await invoke('POST /childcare/seed', admin, { body: {} })).status).toBe(200);
  // 人民医院 3 applications (one withdrawn: not counted), 妇幼 2 (one decided to the end)
  await submit('yq-people');
  await submit('yq-people');
  const withdrawn = await submit('yq-people');
  expect(
    (await invoke('POST /applications/{id}/withdraw', parent, { params: { id: withdrawn }, body: {} }))
      .status,
  ).toBe(200);
  const done = await submit('yq-mch');
  await submit('yq-mch');
  expect(await decideAll(done)).toBe('completed');
}, 120_000);

describe('GET /reports/indicators', () => {
  it('computes every indicator from the cases and the reference data', async () => {
    const res = await invoke('GET /reports/indicators', auditor, { query: { year: String(year) } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    const uptake = ind(res.body, 'birth-uptake');
    expect(row(uptake, 'yq-people')).toMatchObject({ numerator: 2, denominator: 10, value: 20 });
    expect(row(uptake, 'yq-mch')).toMatchObject({ numerator: 2, denominator: 4, value: 50 });
    expect(row(uptake, 'yq-third')).toMatchObject({
      numerator: 0,
      denominator: 5,
      value: 0,
      assessment: 'behind',
    });
    expect(row(uptake, 'yq-tcm')).toMatchObject({ numerator: 0, denominator: null, value: null });
    expect(uptake.figures).toEqual({ numerator: 4, denominator: 19 });
    expect(uptake.value).toBe(21.05);
    expect(uptake.baseline.value).toBeNull();
    expect(uptake.target).toMatchObject({ value: 100, comparator: '>=' });

    const promise = ind(res.body, 'birth-within-promise');
    expect(promise.figures).toEqual({ numerator: 1, denominator: 1 });
    expect(promise.value).toBe(100);
    expect(promise.assessment).toBe('met');

    const insured = ind(res.body, 'newborn-insurance');
    expect(insured.figures).toEqual({ numerator: 1, denominator: 19 });

    // A and B once each (renewal, two institutions), C was aided last year
    const rehab = ind(res.body, 'rehab-coverage');
    expect(rehab.figures).toEqual({ numerator: 2, denominator: 20 });
    expect(rehab.value).toBe(10);
    expect(row(rehab, 'liushi')).toMatchObject({ numerator: 2, denominator: null });
    const young = ind(res.body, 'rehab-coverage-0-6');
    expect(young.figures).toEqual({ numerator: 1, denominator: 8 });
    expect(young.value).toBe(12.5);
    expect(rehab.baseline.note['zh-CN']).toContain('312');

    const places = ind(res.body, 'childcare-places-per-1000');
    const seeded = seedNurseries.reduce(
      (s, n) => s + Object.values(n.places).reduce<number>((a, p) => a + (p ?? 0), 0),
      0,
    );
    expect(places.figures).toEqual({ numerator: seeded, denominator: 1_701_000 });
    expect(places.value).toBe(Math.round((seeded / 1701) * 100) / 100);
    expect(places.target).toMatchObject({ value: 4.5, comparator: '>=' });
    expect(places.rows).toHaveLength(25);

    const sla = ind(res.body, 'processing-within-sla');
    expect(sla.dimension).toBe('service');
    // one row per installed service
    expect(sla.rows.map((r: { key: string }) => r.key).sort()).toEqual(
      modules.map((m) => m.definition.id).sort(),
    );

    // the trend runs over the plan's years
    expect(uptake.trend.map((p: { year: number }) => p.year)).toEqual([2021, 2022, 2023, 2024, 2025]);
  });

  it('refuses a bad year with a field error, and parents', async () => {
    const bad = await invoke('GET /reports/indicators', auditor, { query: { year: '20x5' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('query.year');
    expect((await invoke('GET /reports/indicators', parent, { query: { year: String(year) } })).status).toBe(
      403,
    );
  });
});

describe('GET /reports/yearly', () => {
  it('the yearly report: indicators, tables by township and hospital, data sources; reproducible', async () => {
    const a = await invoke('GET /reports/yearly', auditor, { query: { year: String(year) } });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.title['zh-CN']).toContain(`${year} 年度监测报告`);
    const hospitals = a.body.tables.find((t: { dimension: string }) => t.dimension === 'hospital');
    expect(hospitals.columns.map((c: { indicator: string }) => c.indicator)).toEqual([
      'birth-uptake',
      'birth-within-promise',
      'newborn-insurance',
    ]);
    const third = hospitals.rows.find((r: { key: string }) => r.key === 'yq-third');
    expect(third.reference).toEqual({ births: 5 });
    expect(third.values[0]).toEqual({ value: 0, numerator: 0, denominator: 5 });
    const townships = a.body.tables.find((t: { dimension: string }) => t.dimension === 'township');
    expect(townships.rows.find((r: { key: string }) => r.key === 'liushi').reference).toEqual({
      population: 260000,
      under3: null,
    });
    expect(a.body.notes.length).toBe(a.body.indicators.length);
    const { generatedAt: _g, ...first } = a.body;
    const b = await invoke('GET /reports/yearly', auditor, { query: { year: String(year) } });
    const { generatedAt: _h, ...second } = b.body;
    expect(second).toEqual(first);
  });

  it('downloads as CSV for the statistics bureau', async () => {
    const res = await invoke('GET /reports/yearly', auditor, {
      query: { year: String(year), format: 'csv' },
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain(`monitoring-report-${year}.csv`);
    const lines = String(res.body)
      .replace(/^\uFEFF/, '')
      .split('\n');
    expect(lines[1]).toMatch(
      /^indicator,指标,unit,baseline_2020,value_\d{4},numerator,denominator,target_2025,assessment,trend_2021/,
    );
    expect(lines.find((l) => l.startsWith('birth-uptake,'))).toContain(',21.05,4,19,>=100,behind');
    expect(lines.find((l) => l.startsWith('yq-third,'))).toBe('yq-third,乐清市第三人民医院,5,0,,0');
  });
});
