/**
 * Agencies as dated reference data (issue 17, item 2), through the real handlers on DynamoDB
 * Local: seeded from the code (the city's and every module's, ids unchanged), a name, duty inbox
 * and in-use flag changed by an admin with an effective date and kept in the history, the public
 * `GET /reference/agencies` (which the console names agencies by, in its reports too) answering
 * the name in force; the level and the ids stay the code's; concurrent edits: one wins.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoReferenceStore } from '#adapters/dynamodb/reference-store';
import { codeAgencies } from '#core/catalog';
import { ReferenceBook } from '#core/reference/book';
import { cityAgencies } from '#core/reference/leqing';
import { freshTable } from '../support/dynamo.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

const admin: Claims = { sub: 'admin-ag', role: 'admin' };
const auditor: Claims = { sub: 'auditor-ag', role: 'auditor' };
let ctx: Awaited<ReturnType<typeof setupHandlers>>;

beforeAll(async () => {
  ctx = await setupHandlers();
});

const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

async function agencyEntries() {
  const res = await ctx.invoke('GET /admin/reference/{kind}', auditor, { params: { kind: 'agencies' } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.entries as Array<{
    id: string;
    version: number;
    current?: Record<string, unknown>;
    history: any[];
  }>;
}

async function publicAgencies() {
  const res = await ctx.invoke('GET /reference/{kind}', null, { params: { kind: 'agencies' } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as Array<{
    id: string;
    name: { 'zh-CN': string; en: string };
    level: string;
    active: boolean;
  }>;
}

const change = (id: string, body: Record<string, unknown>, who: Claims = admin) =>
  ctx.invoke('PUT /admin/reference/{kind}/{id}', who, { params: { kind: 'agencies', id }, body });

describe('agencies as dated reference data', () => {
  it("is seeded from the code: the city's and every module's agencies, same ids and levels, all in use", async () => {
    const entries = await agencyEntries();
    const code = codeAgencies();
    expect(code.length).toBeGreaterThan(cityAgencies.length); // modules add their own
    expect(entries.map((e) => e.id).sort()).toEqual(code.map((a) => a.id).sort());
    for (const a of code) {
      const e = entries.find((x) => x.id === a.id);
      expect(e?.current).toEqual({
        nameZh: a.name['zh-CN'],
        nameEn: a.name.en,
        level: a.level,
        active: true,
      });
      expect(e?.history[0]).toMatchObject({ by: 'seed', effectiveFrom: '2020-01-01', version: 1 });
    }
    const listed = await publicAgencies();
    expect(listed.map((a) => a.id)).toEqual(code.map((a) => a.id));
    expect(listed.find((a) => a.id === 'police')).toMatchObject({ level: 'township', active: true });
  });

  it('an admin renames an agency and sets its duty inbox from a date: the history keeps both, the console reads the new name', async () => {
    const res = await change('cdc', {
      version: 1,
      effectiveFrom: '2026-01-01',
      values: {
        nameZh: '市疾控中心（预防接种证）',
        nameEn: 'CDC (vaccination certificate)',
        email: 'duty@cdc.example.cn',
      },
      note: '机构更名',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ version: 2, by: 'admin-ag', effectiveFrom: '2026-01-01' });
    const cdc = (await agencyEntries()).find((e) => e.id === 'cdc');
    expect(cdc?.history.map((h) => [h.version, h.by])).toEqual([
      [1, 'seed'],
      [2, 'admin-ag'],
    ]);
    const book = new ReferenceBook(
      (await agencyEntries()).map((e) => ({
        kind: 'agencies' as const,
        id: e.id,
        version: e.version,
        history: e.history,
      })),
    );
    expect(book.agencies('2025-06-30').find((a) => a.id === 'cdc')?.name['zh-CN']).toBe(
      '市疾病预防控制中心（预防接种证）',
    );
    expect(book.agencies('2026-01-01').find((a) => a.id === 'cdc')).toMatchObject({
      name: { 'zh-CN': '市疾控中心（预防接种证）', en: 'CDC (vaccination certificate)' },
      email: 'duty@cdc.example.cn',
      level: 'city',
    });
    if (today >= '2026-01-01') {
      const listed = await publicAgencies();
      expect(listed.find((a) => a.id === 'cdc')?.name.en).toBe('CDC (vaccination certificate)');
      // the duty inbox is the admins' business, not the public catalogue's
      expect(JSON.stringify(listed)).not.toContain('duty@cdc.example.cn');
    }
  });

  it('an agency out of use stays listed (old cases name it), marked inactive', async () => {
    const res = await change('service-center', {
      version: 1,
      effectiveFrom: '2026-01-01',
      values: { active: false },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    if (today >= '2026-01-01') {
      expect((await publicAgencies()).find((a) => a.id === 'service-center')).toMatchObject({
        active: false,
      });
    }
  });

  it('the level and the ids stay the code’s; bad values are field errors in zh-CN and en; nothing changes', async () => {
    const before = (await ctx.table.scanAll()).length;
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['police', { version: 1, effectiveFrom: '2026-01-01', values: { level: 'city' } }, 'values.level'],
      [
        'police',
        { version: 1, effectiveFrom: '2026-01-01', values: { email: 'not-an-address' } },
        'values.email',
      ],
      ['police', { version: 1, effectiveFrom: '2026-01-01', values: { nameZh: '' } }, 'values.nameZh'],
      [
        'tax-bureau',
        {
          version: 0,
          effectiveFrom: '2026-01-01',
          values: { nameZh: '税务局', nameEn: 'Tax bureau', level: 'city', active: true },
        },
        'id',
      ],
    ];
    for (const [id, body, path] of cases) {
      const res = await change(id, body);
      expect(res.status, `${id} ${JSON.stringify(body)}`).toBe(400);
      const field = res.body.error.fields.find((f: { path: string }) => f.path === path);
      expect(field, JSON.stringify(res.body)).toBeDefined();
      expect(field.messages['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(field.messages.en).toMatch(/[a-z]/);
    }
    expect((await ctx.table.scanAll()).length).toBe(before);
    expect((await agencyEntries()).find((e) => e.id === 'police')?.version).toBe(1);
  });

  it('two admins renaming one agency at once: one wins, the other is 409, nothing overwritten', async () => {
    const rename = (nameEn: string, sub: string) =>
      change('hrss', { version: 1, effectiveFrom: '2026-03-01', values: { nameEn } }, { sub, role: 'admin' });
    const results = await Promise.all([
      rename('HRSS Bureau', 'admin-a'),
      rename('Social Security Bureau', 'admin-b'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const hrss = (await agencyEntries()).find((e) => e.id === 'hrss');
    expect(hrss?.version).toBe(2);
    expect(hrss?.history).toHaveLength(2);
  });

  it('only admins change agencies', async () => {
    const res = await change(
      'cdc',
      { version: 2, effectiveFrom: '2026-02-01', values: { active: false } },
      auditor,
    );
    expect(res.status).toBe(403);
  });
});

describe('the store seeds what the code gained since', () => {
  it('an entry of the seed missing after the kind was seeded (a module installed later) is written once, history intact', async () => {
    const table = await freshTable('ref-gain');
    try {
      const first = new DynamoReferenceStore(table.doc, table.tableName);
      const seeded = await first.list('agencies');
      const gained = codeAgencies().at(-1)?.id as string;
      expect(seeded.some((e) => e.id === gained)).toBe(true);
      // as if the module that declares it had not been installed at the first seeding
      for (const sk of [`${gained}#HEAD`, `${gained}#H#000001`]) {
        await table.doc.send(
          new DeleteCommand({ TableName: table.tableName, Key: { pk: 'REF#agencies', sk } }),
        );
      }
      await first.change(
        { kind: 'agencies', id: 'cdc', effectiveFrom: '2026-01-01', values: { active: false }, by: 'a' },
        1,
      );
      // a read-only reader answers it unwritten; a new instance writes it (twice at once: once)
      const reader = await new DynamoReferenceStore(table.doc, table.tableName).list('agencies', {
        readOnly: true,
      });
      expect(reader.find((e) => e.id === gained)?.version).toBe(1);
      const [a, b] = await Promise.all([
        new DynamoReferenceStore(table.doc, table.tableName).list('agencies'),
        new DynamoReferenceStore(table.doc, table.tableName).list('agencies'),
      ]);
      expect(a.find((e) => e.id === gained)?.history).toHaveLength(1);
      expect(b.map((e) => e.id).sort()).toEqual(
        codeAgencies()
          .map((x) => x.id)
          .sort(),
      );
      const items = (await table.scanAll()).filter(
        (i) => i.pk === 'REF#agencies' && String(i.sk).startsWith(`${gained}#`),
      );
      expect(items).toHaveLength(2);
      // what admins changed meanwhile stays
      expect(a.find((e) => e.id === 'cdc')?.history.map((h) => h.version)).toEqual([1, 2]);
    } finally {
      await table.drop();
    }
  });
});
