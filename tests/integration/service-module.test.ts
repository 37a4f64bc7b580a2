/**
 * A new service is one folder and one registry entry: the fixture module in
 * tests/fixtures/modules/sports-pass (one auto step taking a place of a capacity pool, one human
 * step, one extra route) is installed for this test only, and works end to end through the real
 * HTTP handlers on DynamoDB Local, with no file outside its folder changed. Its events carry
 * kernel-assigned, gap-free sequence numbers, also under concurrent actions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { installModules } from '#core/catalog';
import { moduleFolder } from '#core/module';
import { handlerNamesOf, httpEntryOf, routeTable } from '#http/routes';
import { modules } from '#services/registry';
import { sportsPassModule } from '../fixtures/modules/sports-pass/module.ts';
import { type Claims, type Invoked, setupHandlers } from '../support/invoke.ts';

const parent = (n: number): Claims => ({ sub: `parent-${n}`, role: 'parent', email: `p${n}@example.com` });
const sports: Claims = { sub: 'cw-sports', role: 'caseworker', agency: 'sports' };
const admin: Claims = { sub: 'admin-1', role: 'admin' };
const form = (name: string) => ({ child: { name }, township: 'liushi', contact: { email: 'p@example.com' } });

let invoke: Awaited<ReturnType<typeof setupHandlers>>['invoke'];
/** an application holding a place, its review still open (from the second test) */
let openCase = '';

beforeAll(async () => {
  installModules([sportsPassModule]);
  ({ invoke } = await setupHandlers([sportsPassModule]));
});

const seqs = async (id: string, who: Claims) => {
  const res = await invoke('GET /applications/{id}/events', who, { params: { id } });
  expect(res.status).toBe(200);
  return (res.body.items as Array<{ seq: number }>).map((e) => e.seq).sort((a, b) => a - b);
};

describe('a service module added from its folder alone', () => {
  it('derives its routes and its function from the module', async () => {
    const all = [...modules, sportsPassModule];
    const table = await routeTable(all);
    const mine = table.filter((r) => r.handler === 'sports-pass').map((r) => `${r.method} ${r.path}`);
    expect(mine.sort()).toEqual(['GET /sports-pass/pools/{pool}', 'PUT /sports-pass/pools/{pool}']);
    expect(handlerNamesOf(all)).toContain('sports-pass');
    expect(httpEntryOf(all)('sports-pass')).toBe(`${moduleFolder(sportsPassModule)}/http.ts`);
    // the registry itself is untouched: the production route table does not know the fixture
    expect((await routeTable(modules)).some((r) => r.handler === 'sports-pass')).toBe(false);
  });

  it('takes places from its pool, queues the human step at its agency, and completes', async () => {
    const opened = await invoke('PUT /sports-pass/pools/{pool}', admin, {
      params: { pool: '2027-summer' },
      body: { capacity: 2 },
    });
    expect(opened).toMatchObject({ status: 201, body: { result: 'created' } });
    expect(
      (
        await invoke('PUT /sports-pass/pools/{pool}', parent(1), {
          params: { pool: '2027-summer' },
          body: { capacity: 9 },
        })
      ).status,
    ).toBe(403);

    const submitted: Invoked[] = [];
    for (const n of [1, 2, 3]) {
      submitted.push(
        await invoke('POST /applications', parent(n), {
          body: { service: 'sports-pass', form: form(`孩子${n}`) },
        }),
      );
    }
    expect(submitted.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(submitted.map((r) => r.body.status)).toEqual(['in-progress', 'in-progress', 'rejected']);
    expect(submitted[2]?.body.steps.find((s: { step: string }) => s.step === 'place')?.status).toBe(
      'rejected',
    );

    const pool = await invoke('GET /sports-pass/pools/{pool}', parent(1), {
      params: { pool: '2027-summer' },
    });
    expect(pool.body).toEqual({ capacity: 2, taken: 2 });

    const queue = await invoke('GET /tasks', sports, { query: { agency: 'sports', status: 'open' } });
    expect(queue.status).toBe(200);
    const ids = (queue.body.items as Array<{ appId: string }>).map((i) => i.appId);
    expect(ids).toEqual(expect.arrayContaining([submitted[0]?.body.id, submitted[1]?.body.id]));

    openCase = submitted[1]?.body.id as string;
    const id = submitted[0]?.body.id as string;
    const decided = await invoke('POST /applications/{id}/steps/{step}/decision', sports, {
      params: { id, step: 'review' },
      body: { decision: 'approve' },
    });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe('completed');
    const events = await seqs(id, parent(1));
    expect(events).toEqual([...Array(events.length).keys()]);
  });

  it('numbers every event without gaps when caseworkers act on one case at once', async () => {
    const id = openCase;
    expect(id).not.toBe('');
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        invoke(
          'POST /applications/{id}/steps/{step}/claim',
          { ...sports, sub: `cw-sports-${i}` },
          {
            params: { id, step: 'review' },
          },
        ),
      ),
    );
    // one claim wins; the others lost the race (409) or found the step claimed by someone else
    expect(claims.filter((c) => c.status === 200)).toHaveLength(1);
    expect(claims.every((c) => c.status === 200 || c.status === 409)).toBe(true);
    const events = await seqs(id, parent(2));
    expect(events.length).toBeGreaterThan(2); // submitted, opened, …, claimed once
    expect(events).toEqual([...Array(events.length).keys()]);
  });
});
