/**
 * Server-side drafts on DynamoDB Local through the real handler: resume, encryption at rest,
 * optimistic saves under concurrency, expiry (TTL attribute and reads that hide expired drafts),
 * the per-parent limit, and bad input refused with nothing stored changed.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Claims, setupHandlers } from '../support/invoke.ts';

const parent: Claims = { sub: 'draft-parent', role: 'parent' };
const other: Claims = { sub: 'draft-other', role: 'parent' };
const ID = '330302201901010011';

const SAVES_PER_MINUTE = 50;
let ctx: Awaited<ReturnType<typeof setupHandlers>>;
beforeAll(async () => {
  process.env.DRAFT_SAVES_PER_MINUTE = String(SAVES_PER_MINUTE);
  ctx = await setupHandlers();
});
afterEach(() => {
  delete process.env.CLOCK_OFFSET_MS;
});

let n = 0;
const newId = () => `draft-${Date.now()}-${++n}`;
const params = (id: string, service = 'birth-registration') => ({ service, id });
const body = (version: number, values: Record<string, string | string[]> = {}) => ({
  version,
  section: 'mother',
  values: { 'child.name': '王小明', 'mother.idNumber': ID, 'child.sex': 'male', ...values },
  toggles: { father: false },
});
const put = (who: Claims, id: string, b: unknown) =>
  ctx.invoke('PUT /drafts/{service}/{id}', who, { params: params(id), body: b });

describe('drafts', () => {
  it('saves, lists without content, and resumes exactly what was typed', async () => {
    const id = newId();
    const created = await put(parent, id, body(0));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id, service: 'birth-registration', version: 1, section: 'mother' });
    const days = (Date.parse(created.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);

    const updated = await put(parent, id, { ...body(1, { 'child.name': '王小红' }), section: 'review' });
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(2);
    expect(updated.body.createdAt).toBe(created.body.createdAt);

    const list = await ctx.invoke('GET /drafts', parent);
    const mine = list.body.items.find((d: { id: string }) => d.id === id);
    expect(mine).toMatchObject({ version: 2, section: 'review' });
    expect(JSON.stringify(list.body)).not.toContain('王小红');

    const got = await ctx.invoke('GET /drafts/{service}/{id}', parent, { params: params(id) });
    expect(got.status).toBe(200);
    expect(got.body.values).toEqual({ 'child.name': '王小红', 'mother.idNumber': ID, 'child.sex': 'male' });
    expect(got.body.toggles).toEqual({ father: false });
    expect(got.headers['cache-control']).toBe('no-store');

    // another parent cannot see it, even knowing the id
    expect((await ctx.invoke('GET /drafts/{service}/{id}', other, { params: params(id) })).status).toBe(404);
    expect((await ctx.invoke('GET /drafts', other)).body.items).toEqual([]);
  });

  it('stores the content encrypted: neither the ID number nor the name is in the item', async () => {
    const id = newId();
    await put(parent, id, body(0));
    const items = (await ctx.table.scanAll()).filter((i) => String(i.sk).includes(id));
    expect(items).toHaveLength(1);
    const raw = JSON.stringify(items[0]);
    expect(raw).not.toContain(ID);
    expect(raw).not.toContain('王小明');
    expect(items[0]?.expiresAt).toBeTypeOf('number'); // the table's TTL attribute
  });

  it('one of several simultaneous saves of the same version wins; the rest get 409', async () => {
    const id = newId();
    await put(parent, id, body(0));
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => put(parent, id, body(1, { 'child.name': `tab ${i}` }))),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    const conflict = results.find((r) => r.status === 409);
    expect(conflict?.body.error.code).toBe('VERSION_CONFLICT');
    expect(conflict?.body.error.messages['zh-CN']).toMatch(/草稿/);
    const winner = results.find((r) => r.status === 200);
    const got = await ctx.invoke('GET /drafts/{service}/{id}', parent, { params: params(id) });
    expect(got.body.version).toBe(2);
    expect(winner?.body.version).toBe(2);
  });

  it('simultaneous creations of one draft id create it once', async () => {
    const id = newId();
    const results = await Promise.all(Array.from({ length: 5 }, () => put(parent, id, body(0))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it('expired drafts are gone for reads and saves, and their id can start afresh', async () => {
    const id = newId();
    await put(parent, id, body(0));
    process.env.CLOCK_OFFSET_MS = String(31 * 86_400_000);
    expect((await ctx.invoke('GET /drafts/{service}/{id}', parent, { params: params(id) })).status).toBe(404);
    expect(
      (await ctx.invoke('GET /drafts', parent)).body.items.map((d: { id: string }) => d.id),
    ).not.toContain(id);
    const stale = await put(parent, id, body(1));
    expect(stale.status).toBe(404);
    expect(stale.body.error.messages.en).toMatch(/expired/);
    expect((await put(parent, id, body(0))).status).toBe(201);
  });

  it('discarding deletes; a second discard is 404', async () => {
    const id = newId();
    await put(parent, id, body(0));
    const del = await ctx.invoke('DELETE /drafts/{service}/{id}', parent, { params: params(id) });
    expect(del.status).toBe(204);
    expect((await ctx.invoke('DELETE /drafts/{service}/{id}', parent, { params: params(id) })).status).toBe(
      404,
    );
    expect((await ctx.table.scanAll()).filter((i) => String(i.sk).includes(id))).toEqual([]);
  });

  it('keeps at most 20 drafts per parent (409 with a bilingual reason); updates still work', async () => {
    const limited: Claims = { sub: `draft-limit-${Date.now()}`, role: 'parent' };
    const ids = Array.from({ length: 20 }, newId);
    for (const id of ids) expect((await put(limited, id, body(0))).status).toBe(201);
    const over = await put(limited, newId(), body(0));
    expect(over.status).toBe(409);
    expect(over.body.error.messages).toMatchObject({
      'zh-CN': expect.stringMatching(/20/),
      en: /At most 20/,
    });
    expect((await put(limited, ids[0] as string, body(1))).status).toBe(200);
    expect((await ctx.invoke('GET /drafts', limited)).body.items).toHaveLength(20);
  });

  describe('the limit under concurrency', () => {
    const racer: Claims = { sub: `draft-race-${Date.now()}`, role: 'parent' };
    const ids = Array.from({ length: 40 }, newId);
    let results: Array<{ id: string; status: number; body: any }>;

    beforeAll(async () => {
      results = await Promise.all(ids.map(async (id) => ({ id, ...(await put(racer, id, body(0))) })));
    });

    it('creates exactly 20 of 40 simultaneous first saves; the others get 409 with the reason', async () => {
      expect(results.filter((r) => r.status === 201)).toHaveLength(20);
      const refused = results.filter((r) => r.status !== 201);
      expect(refused.map((r) => r.status)).toEqual(Array(20).fill(409));
      for (const r of refused) expect(r.body.error.messages.en).toMatch(/At most 20/);
      expect((await ctx.invoke('GET /drafts', racer)).body.items).toHaveLength(20);
    });

    it('frees a place when a draft is discarded', async () => {
      const kept = results.find((r) => r.status === 201)!;
      expect(
        (await ctx.invoke('DELETE /drafts/{service}/{id}', racer, { params: params(kept.id) })).status,
      ).toBe(204);
      expect((await put(racer, newId(), body(0))).status).toBe(201);
      expect((await put(racer, newId(), body(0))).status).toBe(409);
    });

    it('frees the places of expired drafts, before TTL has deleted them', async () => {
      process.env.CLOCK_OFFSET_MS = String(31 * 86_400_000);
      expect((await put(racer, newId(), body(0))).status).toBe(201);
    });
  });

  it('limits saves per parent per minute (429); the draft keeps its last accepted save', async () => {
    // the limit counts per clock minute: start early in one, so the loop cannot straddle two
    const msLeft = 60_000 - (Date.now() % 60_000);
    if (msLeft < 30_000) await new Promise((r) => setTimeout(r, msLeft + 50));
    const busy: Claims = { sub: `draft-busy-${Date.now()}`, role: 'parent' };
    const id = newId();
    expect((await put(busy, id, body(0))).status).toBe(201);
    let version = 1;
    // a script saving in a loop: within the minute, the saves past the limit are refused
    for (let i = 1; i < SAVES_PER_MINUTE; i++) {
      const res = await put(busy, id, body(version, { 'child.name': `第${i}次` }));
      if (res.status === 429) break;
      expect(res.status).toBe(200);
      version = res.body.version;
    }
    const refused = await put(busy, id, body(version, { 'child.name': '超出' }));
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const kept = await ctx.invoke('GET /drafts/{service}/{id}', busy, { params: params(id) });
    expect(kept.body.version).toBe(version);
    expect(kept.body.values['child.name']).not.toBe('超出');
    // another parent is not affected
    expect((await put(other, newId(), body(0))).status).toBe(201);
  }, 90_000);

  it('refuses bad input with field messages and changes nothing', async () => {
    const id = newId();
    await put(parent, id, body(0));
    // everything but the rate-limit counters, which count refused requests too
    const stored = async () =>
      JSON.stringify((await ctx.table.scanAll()).filter((i) => !String(i.pk).startsWith('RATE#')));
    const before = await stored();
    const cases: Array<[unknown, string, string?]> = [
      [{ ...body(1), values: { 'child name': 'x' } }, 'values'],
      [
        JSON.parse('{"version":1,"section":"a","toggles":{},"values":{"__proto__":{"polluted":"1"}}}'),
        'values',
      ],
      [{ ...body(1), values: { 'constructor.prototype': 'x' } }, 'values'],
      [{ ...body(1), values: { 'child.name': 'x'.repeat(2001) } }, 'values.child.name'],
      [{ ...body(1), version: -1 }, 'version'],
      [{ ...body(1), status: 'submitted' }, 'status'],
      [{ ...body(1), toggles: { father: 'yes' } }, 'toggles.father'],
    ];
    for (const [b, field] of cases) {
      const res = await put(parent, id, b);
      expect(res.status, JSON.stringify(b).slice(0, 80)).toBe(400);
      const paths = res.body.error.fields.map((f: { path: string }) => f.path);
      expect(
        paths.some((p: string) => p.startsWith(field)),
        `${paths} ⊇ ${field}`,
      ).toBe(true);
      expect(res.body.error.fields[0].messages).toHaveProperty('zh-CN');
    }
    const unknown = await ctx.invoke('PUT /drafts/{service}/{id}', parent, {
      params: params(id, 'no-such-service'),
      body: body(0),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields[0].path).toBe('service');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await stored()).toBe(before);
  });
});
