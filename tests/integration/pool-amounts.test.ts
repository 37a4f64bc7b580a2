/**
 * Kernel pools that take an amount (a fund in fen, where a grant takes what it grants) on
 * DynamoDB Local: the store keeps taken ≤ capacity under concurrent takes of different sizes, a
 * capacity raised between the read and the write is a retry (not "full"), and a withdrawn grant
 * gives its amount back. A service declares this in its definition only (test module below).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { localFieldCipher } from '#adapters/crypto/field-cipher';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { keys } from '#adapters/dynamodb/keys';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import { installModules } from '#core/catalog';
import { defineService } from '#core/engine/define-service';
import { effectsOf } from '#core/engine/transition';
import type { Actor } from '#core/engine/types';
import { email, personName, township } from '#core/forms/fields';
import { t } from '#core/i18n';
import { freshTable } from '../support/dynamo.ts';

const FUND = { org: 'city-fund', pool: '2027' };
const CAPACITY_FEN = 10_000;

const grant = defineService({
  id: 'test-grant',
  title: t('测试补助', 'Test grant'),
  form: z.strictObject({
    child: z.strictObject({ name: personName() }),
    township: township(),
    contact: z.strictObject({ email: email() }),
    amountFen: z.int().min(1).max(1_000_000),
  }),
  sla: { workingDays: 3 },
  sensitivePaths: [],
  contactEmail: (form) => form.contact.email,
  township: (form) => form.township,
  label: (form) => form.child.name,
  pools: () => [FUND],
  steps: {
    grant: {
      kind: 'auto',
      title: t('核定补助', 'Grant'),
      run: ({ form, pools }) => {
        const fund = pools?.get(`${FUND.org}#${FUND.pool}`);
        if (fund && fund.taken + form.amountFen <= fund.capacity) {
          return { outcome: 'pass', take: { ...FUND, amount: form.amountFen } };
        }
        return { outcome: 'reject', code: 'fund-spent', reasons: [t('资金不足', 'The fund is spent')] };
      },
    },
    review: { kind: 'human', title: t('复核', 'Review'), agency: 'civil-affairs', needs: ['grant'] },
  },
});

const parent = (n: number): Actor => ({ sub: `parent-${n}`, role: 'parent', email: `p${n}@example.com` });
const form = (amountFen: number) => ({
  child: { name: '王小明' },
  township: 'liushi',
  contact: { email: 'p@example.com' },
  amountFen,
});

let table: Awaited<ReturnType<typeof freshTable>>;
let repo: DynamoApplicationRepository;
let service: ApplicationService;

/** An admin raises the fund (as a nursery's licensed places are raised), straight on the item. */
const raiseCapacity = (more: number) =>
  table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: keys.intake(FUND.org, FUND.pool),
      UpdateExpression: 'SET #c = #c + :more',
      ExpressionAttributeNames: { '#c': 'capacity' },
      ExpressionAttributeValues: { ':more': more },
    }),
  );

const fund = async () => (await repo.pools?.read([FUND]))?.get(`${FUND.org}#${FUND.pool}`);

beforeAll(async () => {
  installModules([{ definition: grant, agencies: [] }]);
  table = await freshTable('pool-amounts');
  const cipher = localFieldCipher(join(mkdtempSync(join(tmpdir(), 'keys-')), 'k.json'));
  repo = new DynamoApplicationRepository(table.doc, table.tableName, cipher);
  service = new ApplicationService(repo, {
    clock: { now: () => new Date() },
    ids: { newId: ulid },
    calendar: new WorkingCalendar(),
  });
  expect(await repo.pools?.openPool(FUND, CAPACITY_FEN, new Date().toISOString())).toBe('created');
});
afterAll(() => table.drop());

describe('a kernel pool that takes amounts', () => {
  it('tells the store the amount and the capacity it was checked against', () => {
    const app = { holds: [{ ...FUND, amount: 300 }], queued: undefined, status: 'in-progress' };
    const pools = new Map([
      [`${FUND.org}#${FUND.pool}`, { ...FUND, capacity: 500, taken: 0, waiting: 0, settled: 0 }],
    ]);
    // biome-ignore lint/suspicious/noExplicitAny: a partial application is enough for the effects
    expect(effectsOf(grant as any, null, app as any, pools)).toEqual([
      { type: 'take', pool: FUND, amount: 300, capacity: 500, fromQueue: false },
    ]);
    // biome-ignore lint/suspicious/noExplicitAny: as above
    expect(() => effectsOf(grant as any, null, app as any)).toThrow(/needs the pool read/);
  });

  it('keeps taken ≤ capacity under concurrent grants of different sizes', async () => {
    // 8 families ask at once for 3,000 + 2,500 + … fen from a 10,000 fen fund
    const asks = [3000, 2500, 2000, 1500, 4000, 1000, 3500, 500];
    const results = await Promise.all(
      asks.map((amount, n) => service.submit(parent(n), { service: 'test-grant', form: form(amount) })),
    );
    const granted = results.filter((r) => r.view.status === 'in-progress');
    const refused = results.filter((r) => r.view.status === 'rejected');
    expect(granted.length + refused.length).toBe(asks.length);
    expect(granted.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0); // 18,000 fen asked of 10,000
    const total = granted.reduce((sum, r) => sum + (r.view.form as { amountFen: number }).amountFen, 0);
    const state = await fund();
    expect(state?.taken).toBe(total);
    expect(total).toBeLessThanOrEqual(CAPACITY_FEN);
    // every refusal was a real lack of room, not a lost race
    const smallestRefused = Math.min(...refused.map((r) => (r.view.form as { amountFen: number }).amountFen));
    expect(total + smallestRefused).toBeGreaterThan(CAPACITY_FEN);
  });

  it('gives the amount back when the application is withdrawn', async () => {
    const before = (await fund())?.taken ?? 0;
    await raiseCapacity(1000);
    const { view } = await service.submit(parent(20), { service: 'test-grant', form: form(700) });
    expect(view.status).toBe('in-progress');
    expect((await fund())?.taken).toBe(before + 700);
    await service.withdraw(parent(20), view.id);
    expect((await fund())?.taken).toBe(before);
  });

  /** Runs `act` with the fund's capacity moved by `delta` right after the first pool read. */
  async function withCapacityMovedAfterRead<T>(delta: number, act: () => Promise<T>): Promise<T> {
    let moved = false;
    const pools = repo.pools!;
    const read = pools.read.bind(pools);
    pools.read = async (refs) => {
      const states = await read(refs);
      if (!moved) {
        moved = true;
        await raiseCapacity(delta);
      }
      return states;
    };
    try {
      return await act();
    } finally {
      pools.read = read;
    }
  }

  it('never overfills a fund lowered between the read and the write (the grant is checked again)', async () => {
    const start = (await fund())!;
    const room = start.capacity - start.taken;
    expect(room).toBeGreaterThan(0);
    // the family asks for all the room there is; an admin cuts the fund to what is taken meanwhile
    const { view } = await withCapacityMovedAfterRead(-room, () =>
      service.submit(parent(30), { service: 'test-grant', form: form(room) }),
    );
    const after = (await fund())!;
    expect(view.status).toBe('rejected');
    expect(after.taken).toBe(start.taken);
    expect(after.taken).toBeLessThanOrEqual(after.capacity);
  });

  it('grants what fits a fund raised between the read and the write', async () => {
    const start = (await fund())!;
    await raiseCapacity(2000);
    const { view } = await withCapacityMovedAfterRead(3000, () =>
      service.submit(parent(31), { service: 'test-grant', form: form(2000) }),
    );
    expect(view.status).toBe('in-progress');
    const after = (await fund())!;
    expect(after.taken).toBe(start.taken + 2000);
    expect(after.capacity).toBe(start.capacity + 5000);
  });
});
