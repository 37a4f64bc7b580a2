/**
 * Reference data maintained by admins, with history (issue 17), through the real admin handler on
 * DynamoDB Local: the seed from leqing.ts loaded once, effective-dated changes, field-level
 * errors, concurrent edits (one wins, nothing lost) and the births CSV import (twice at once).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ReferenceBook } from '#core/reference/book';
import { townships as seedTownships } from '#core/reference/leqing';
import { type Claims, setupHandlers } from '../support/invoke.ts';

const admin: Claims = { sub: 'admin-1', role: 'admin' };
const auditor: Claims = { sub: 'auditor-1', role: 'auditor' };
let invoke: Awaited<ReturnType<typeof setupHandlers>>['invoke'];
let table: Awaited<ReturnType<typeof setupHandlers>>['table'];

beforeAll(async () => {
  ({ invoke, table } = await setupHandlers());
});

async function entries(kind: string) {
  const res = await invoke('GET /admin/reference/{kind}', auditor, { params: { kind } });
  expect(res.status).toBe(200);
  return res.body.entries as Array<{
    id: string;
    version: number;
    current?: Record<string, unknown>;
    history: any[];
  }>;
}

async function book() {
  const all = await Promise.all(['townships', 'hospitals', 'births', 'eligible'].map(entries));
  return new ReferenceBook(
    ['townships', 'hospitals', 'births', 'eligible'].flatMap((kind, i) =>
      (all[i] ?? []).map((e) => ({ kind: kind as any, id: e.id, version: e.version, history: e.history })),
    ),
  );
}

describe('reference data with history', () => {
  it('loads the seed once, from the constants, as changes effective from 2020', async () => {
    const [first, again] = await Promise.all([entries('townships'), entries('townships')]);
    expect(first.length).toBe(seedTownships.length);
    expect(again.length).toBe(seedTownships.length);
    const liushi = first.find((e) => e.id === 'liushi');
    expect(liushi?.version).toBe(1);
    expect(liushi?.history).toHaveLength(1);
    expect(liushi?.history[0]).toMatchObject({
      by: 'seed',
      effectiveFrom: '2020-01-01',
      values: { population: 260000 },
    });
    const stored = (await table.scanAll()).filter((i) => String(i.pk) === 'REF#townships');
    // a head and one change per township, plus the seed marker: the concurrent first reads seeded once
    expect(stored.length).toBe(seedTownships.length * 2 + 1);
  });

  it("an admin changes a township's population from an effective date: that year changes, the year before does not", async () => {
    const before = await book();
    expect(before.townships(2024).find((t) => t.id === 'liushi')?.population).toBe(260000);
    const res = await invoke('PUT /admin/reference/{kind}/{id}', admin, {
      params: { kind: 'townships', id: 'liushi' },
      body: {
        version: 1,
        effectiveFrom: '2025-01-01',
        values: { population: 270500, under3: 7100 },
        note: '七普后年度更新',
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ version: 2, effectiveFrom: '2025-01-01', by: 'admin-1' });
    const after = await book();
    expect(after.townships(2025).find((t) => t.id === 'liushi')).toMatchObject({
      population: 270500,
      under3: 7100,
    });
    expect(after.townships(2024).find((t) => t.id === 'liushi')).toMatchObject({
      population: 260000,
      under3: undefined,
    });
    // the name is untouched by the patch
    expect(after.townships(2025).find((t) => t.id === 'liushi')?.name['zh-CN']).toBe('柳市镇');
    // the audit record stays, with who and when
    const liushi = (await entries('townships')).find((e) => e.id === 'liushi');
    expect(liushi?.history.map((h) => [h.version, h.by, h.effectiveFrom])).toEqual([
      [1, 'seed', '2020-01-01'],
      [2, 'admin-1', '2025-01-01'],
    ]);
  });

  it('two concurrent edits from the same version: one wins, the other is 409, no history lost', async () => {
    const current = (await entries('townships')).find((e) => e.id === 'danxi');
    expect(current?.version).toBe(1);
    const edit = (population: number) =>
      invoke('PUT /admin/reference/{kind}/{id}', admin, {
        params: { kind: 'townships', id: 'danxi' },
        body: { version: 1, effectiveFrom: '2023-01-01', values: { population } },
      });
    const results = await Promise.all([edit(37000), edit(38000)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409);
    expect(loser?.body.error.code).toBe('VERSION_CONFLICT');
    // the loser reloads and applies its edit on top: both stay in the history
    const retry = await invoke('PUT /admin/reference/{kind}/{id}', admin, {
      params: { kind: 'townships', id: 'danxi' },
      body: { version: 2, effectiveFrom: '2024-01-01', values: { population: 38000 } },
    });
    expect(retry.status).toBe(200);
    const danxi = (await entries('townships')).find((e) => e.id === 'danxi');
    expect(danxi?.history.map((h) => h.version)).toEqual([1, 2, 3]);
    const b = await book();
    expect(b.townships(2022).find((t) => t.id === 'danxi')?.population).toBe(36000);
    expect(b.townships(2024).find((t) => t.id === 'danxi')?.population).toBe(38000);
  });

  it('bad input is a 400 with field errors in zh-CN and en, and nothing changes', async () => {
    const before = (await table.scanAll()).length;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ version: 1, values: { population: -5 } }, 'values.population'],
      [{ version: 1, effectiveFrom: '2025-01-01', values: { population: '12x' } }, 'values.population'],
      [{ version: 1, effectiveFrom: '2025-01-01', values: { colour: 'red' } }, 'values.colour'],
      [{ version: 1, values: { population: 1 } }, 'effectiveFrom'],
    ];
    for (const [body, path] of cases) {
      const res = await invoke('PUT /admin/reference/{kind}/{id}', admin, {
        params: { kind: 'townships', id: 'puqi' },
        body,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      const field = res.body.error.fields.find((f: { path: string }) => f.path === path);
      expect(field, JSON.stringify(res.body)).toBeDefined();
      expect(field.messages['zh-CN']).toBeTruthy();
      expect(field.messages.en).toBeTruthy();
    }
    const hospital = await invoke('PUT /admin/reference/{kind}/{id}', admin, {
      params: { kind: 'hospitals', id: 'new-clinic' },
      body: {
        version: 0,
        effectiveFrom: '2024-03-01',
        values: { nameZh: '新院', nameEn: 'New', township: 'atlantis', maternity: true },
      },
    });
    expect(hospital.status).toBe(400);
    expect(hospital.body.error.fields[0].path).toBe('values.township');
    const eligible = await invoke('PUT /admin/reference/{kind}/{id}', admin, {
      params: { kind: 'eligible', id: 'rehab-aid:2024' },
      body: { version: 0, values: { children: 10, under7: 11 } },
    });
    expect(eligible.status).toBe(400);
    expect(eligible.body.error.fields[0].path).toBe('values.under7');
    expect((await table.scanAll()).length).toBe(before);
  });

  it('only admins change reference data; auditors read it', async () => {
    const res = await invoke('PUT /admin/reference/{kind}/{id}', auditor, {
      params: { kind: 'townships', id: 'puqi' },
      body: { version: 1, effectiveFrom: '2025-01-01', values: { population: 1 } },
    });
    expect(res.status).toBe(403);
  });

  it('imports births per hospital and month from CSV; the same file twice at once changes each figure once', async () => {
    const csv = 'hospital,month,births\nyq-people,2025-01,120\nyq-people,2025-02,95\r\nyq-mch,2025-01,210\n';
    const [a, b] = await Promise.all([
      invoke('POST /admin/reference/births/import', admin, { body: { csv } }),
      invoke('POST /admin/reference/births/import', admin, { body: { csv } }),
    ]);
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(b.status, JSON.stringify(b.body)).toBe(200);
    expect(a.body.changed + b.body.changed).toBe(3);
    expect(a.body.unchanged + b.body.unchanged).toBe(3);
    const births = await entries('births');
    expect(births.map((e) => [e.id, e.version, e.current?.births])).toEqual([
      ['yq-mch:2025-01', 1, 210],
      ['yq-people:2025-01', 1, 120],
      ['yq-people:2025-02', 1, 95],
    ]);
    // a correction is a new change in the history
    const fix = await invoke('POST /admin/reference/births/import', admin, {
      body: { csv: 'yq-people,2025-02,97' },
    });
    expect(fix.body).toEqual({ rows: 1, changed: 1, unchanged: 0 });
    expect((await book()).birthsInYear('yq-people', 2025)).toBe(217);

    const bad = await invoke('POST /admin/reference/births/import', admin, {
      body: { csv: 'yq-people,2025-03,80\nnowhere,2025-03,5\nyq-mch,2025-13,5\nyq-mch,2025-04,-1\njunk' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toEqual([
      'csv.2.id',
      'csv.3.id',
      'csv.4.births',
      'csv.5',
    ]);
    // nothing of the bad file was written, not even its good first row
    expect((await book()).births('yq-people', '2025-03')).toBeUndefined();
  });
});
