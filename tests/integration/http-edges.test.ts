/**
 * Strict edges of the HTTP chain through the real handlers on DynamoDB Local: every 429 says
 * when to retry; an idempotent replay is answered from its record before the rate limit counts;
 * an Idempotency-Key is refused, never cut, when too long or malformed; numbers in paths are
 * plain decimals, never coerced from hex, exponents or signs. Nothing stored changes on a refusal.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { birthForm } from '../support/forms.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

const SUBMISSIONS_PER_MINUTE = 3;
let ctx: Awaited<ReturnType<typeof setupHandlers>>;
beforeAll(async () => {
  process.env.SUBMISSIONS_PER_MINUTE = String(SUBMISSIONS_PER_MINUTE);
  ctx = await setupHandlers();
});

let n = 0;
const newParent = (): Claims => ({ sub: `edge-parent-${Date.now()}-${++n}`, role: 'parent' });
const admin: Claims = { sub: 'edge-admin', role: 'admin' };
const application = () => ({ service: 'birth-registration', form: birthForm() });
const submit = (who: Claims, body: unknown, key?: string) =>
  ctx.invoke('POST /applications', who, {
    body,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });

/**
 * New submissions until one is refused. The limit's window is fixed (per minute), so a run that
 * crosses a minute boundary needs up to twice the limit.
 */
async function submitUntilLimited(parent: Claims) {
  let res = await submit(parent, application());
  for (let i = 0; i < 2 * SUBMISSIONS_PER_MINUTE && res.status !== 429; i++) {
    expect(res.status).toBe(201);
    res = await submit(parent, application());
  }
  return res;
}

describe('rate limits', () => {
  it('answers a submission over the limit with 429 and Retry-After up to the window’s end', async () => {
    const parent = newParent();

    const refused = await submitUntilLimited(parent);

    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    const seconds = Number(refused.headers['retry-after']);
    expect(Number.isInteger(seconds)).toBe(true);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
  });

  it('answers a replay of a known Idempotency-Key from its record after the limit is reached', async () => {
    const parent = newParent();
    const body = application();
    const first = await submit(parent, body, 'replay-me');
    expect((await submitUntilLimited(parent)).status).toBe(429);

    const replay = await submit(parent, body, 'replay-me');

    expect(first.status).toBe(201);
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(first.body.id);
    expect(replay.headers.location).toBe(`/applications/${first.body.id}`);
  });

  it('still refuses a known key sent with another body (409), not as a replay', async () => {
    const parent = newParent();
    await submit(parent, application(), 'same-key');
    const other = application();
    other.form.child.name = '王小红';

    const res = await submit(parent, other, 'same-key');

    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('Idempotency-Key', () => {
  it('accepts a key of 200 visible characters', async () => {
    const res = await submit(newParent(), application(), 'k'.repeat(200));
    expect(res.status).toBe(201);
  });

  it.each([
    ['longer than 200 characters', `${'k'.repeat(200)}-first`],
    ['empty', ''],
    ['with a space', 'two words'],
    ['with a non-ASCII character', '申请-1'],
  ])('refuses a key %s with 400 and a field message in zh-CN and en, storing nothing', async (_, key) => {
    const parent = newParent();

    const res = await submit(parent, application(), key);

    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([
      expect.objectContaining({
        path: 'header.idempotency-key',
        messages: {
          'zh-CN': expect.stringContaining('Idempotency-Key'),
          en: expect.stringContaining('Idempotency-Key'),
        },
      }),
    ]);
    const mine = await ctx.invoke('GET /applications', parent);
    expect(mine.body.items).toEqual([]);
  });

  it('does not let two different long keys collide', async () => {
    const parent = newParent();
    const long = 'k'.repeat(200);

    const first = await submit(parent, application(), `${long}-a`);
    const second = await submit(parent, application(), `${long}-b`);

    expect([first.status, second.status]).toEqual([400, 400]);
  });
});

describe('numbers in paths', () => {
  const calendar = { holidays: ['2027-10-01'], workdays: [] };

  it.each(['0x7EB', '2e3', '+2027', ' 2027', '2027.0', '02027', '2027abc'])(
    'refuses the year %j on PUT /admin/calendar/{year} with 400, writing nothing',
    async (year) => {
      const before = await ctx.table.scanAll();

      const res = await ctx.invoke('PUT /admin/calendar/{year}', admin, { params: { year }, body: calendar });

      expect(res.status).toBe(400);
      expect(res.body.error.fields[0].path).toBe('path.year');
      expect(await ctx.table.scanAll()).toEqual(before);
    },
  );

  it('accepts a plain decimal year', async () => {
    const res = await ctx.invoke('PUT /admin/calendar/{year}', admin, {
      params: { year: '2027' },
      body: calendar,
    });
    expect(res.status).toBe(200);
  });

  it('refuses a hexadecimal year on GET /rehab/standards/{year}', async () => {
    const res = await ctx.invoke('GET /rehab/standards/{year}', admin, { params: { year: '0x7E9' } });
    expect(res.status).toBe(400);
  });
});
