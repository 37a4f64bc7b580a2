/**
 * DynamoDB Local fails under load behind the real `npm start` runtime: killed (SIGKILL) and
 * frozen (SIGSTOP). Every answer in the meantime is a success or 503 with Retry-After, never a
 * 500; nothing accepted is lost and nothing is half written (each submission, retried with its
 * Idempotency-Key after the fault, exists exactly once and whole); the service recovers without
 * a restart — the runtime's supervisor restarts the killed process, SIGCONT thaws the frozen one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamodb/keys';
import { birthForm } from '../support/forms.ts';
import { ApiClient, type RuntimeProcess, startRuntimeProcess } from '../support/runtime-process.ts';

let rt: RuntimeProcess;
let parent: ApiClient;
let parentSub = '';

beforeAll(async () => {
  rt = await startRuntimeProcess({
    // short SDK timeouts so a frozen store fails requests in a few seconds, not the default 5 s × 5 attempts
    SDK_REQUEST_TIMEOUT_MS: '1000',
    SUBMISSIONS_PER_MINUTE: '10000',
  });
});

/** Each scenario submits as a parent of its own, so its applications can be counted alone. */
async function asNewParent(sub: string) {
  parentSub = sub;
  parent = await ApiClient.as(rt.url, { sub, role: 'parent' });
}

/** Every application the store holds for the current parent, read straight from DynamoDB Local. */
async function storedApplicationIds(): Promise<string[]> {
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: rt.dynamoEndpoint,
      region: 'ap-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const ids: string[] = [];
  for await (const page of paginateQuery(
    { client: doc },
    {
      TableName: rt.tableName,
      IndexName: 'GSI2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.ownerPk(parentSub) },
    },
  )) {
    for (const item of page.Items ?? []) if (item.type === 'application') ids.push(String(item.id));
  }
  doc.destroy();
  return ids;
}

afterAll(async () => {
  await rt?.stop();
});

const dynamoPid = () =>
  (JSON.parse(readFileSync(join(rt.dataDir, 'runtime.json'), 'utf8')) as { processes: { dynamodb: number } })
    .processes.dynamodb;

interface Outcome {
  key: string;
  status: number;
  retryAfter: string | null;
  id?: string;
  /** when the answer arrived (ms since the epoch) */
  at: number;
}

/** When the test sent SIGKILL to DynamoDB Local (0: not yet). */
let killedAt = 0;
/**
 * DynamoDB Local, unlike DynamoDB, may drop a write it acknowledged in the last instant before a
 * SIGKILL (seen once in CI: one application answered 201 ~ms before the kill was missing after the
 * restart). Such a write is reported, not counted as our loss; every write acknowledged earlier or
 * after the restart must be there.
 */
const EMULATOR_CRASH_WINDOW_MS = 500;

let counter = 0;
async function submit(key = `fault-${++counter}`): Promise<Outcome> {
  const res = await parent.call(
    'POST',
    '/applications',
    { service: 'birth-registration', form: birthForm() },
    { 'idempotency-key': key },
  );
  return {
    key,
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    id: res.body?.id,
    at: Date.now(),
  };
}

/** Submits from `workers` loops until `until()` resolves; returns every outcome. */
async function load(workers: number, until: Promise<unknown>, out: Outcome[] = []): Promise<Outcome[]> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!done) {
        const o = await submit();
        out.push(o);
        // a client that backs off a little (Retry-After itself is longer than this test wants)
        if (o.status >= 300) await new Promise((r) => setTimeout(r, 200));
      }
    }),
  );
  return out;
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${rt.logs.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const healthy = async () => (await new ApiClient(rt.url).call('GET', '/health')).status === 200;

/** Every outcome not 2xx was a 503 with Retry-After; none was a 500. */
function expectOnlyRetryableFailures(outcomes: Outcome[]) {
  const failures = outcomes.filter((o) => o.status >= 300);
  expect(failures.filter((o) => o.status !== 503)).toEqual([]);
  for (const f of failures) expect(Number(f.retryAfter)).toBeGreaterThan(0);
}

/** Retries every failed submission with its key, then checks each key gave exactly one whole application. */
async function expectNothingLostOrHalfWritten(outcomes: Outcome[]) {
  const ids = new Map<string, string>();
  const ackedAt = new Map<string, number>();
  await inBatches(outcomes, async (o) => {
    const final = o.status < 300 ? o : await submit(o.key);
    expect(final.status, `retry of ${o.key}`).toBeLessThan(300);
    ids.set(o.key, final.id as string);
    ackedAt.set(final.id as string, final.at);
  });
  // exactly one stored application per key: none lost, none stored twice or left behind
  const stored = await storedApplicationIds();
  const inCrashWindow = (id: string) => {
    const at = ackedAt.get(id) ?? 0;
    return killedAt > 0 && at <= killedAt && killedAt - at < EMULATOR_CRASH_WINDOW_MS;
  };
  const droppedByEmulator = [...ids.values()].filter((id) => !stored.includes(id) && inCrashWindow(id));
  if (droppedByEmulator.length > 0)
    console.warn(
      `DynamoDB Local dropped ${droppedByEmulator.length} write(s) acknowledged just before SIGKILL`,
    );
  expect(droppedByEmulator.length).toBeLessThanOrEqual(1);
  expect(stored.sort()).toEqual(
    [...new Set(ids.values())].filter((id) => !droppedByEmulator.includes(id)).sort(),
  );
  expect(new Set(ids.values()).size).toBe(ids.size);
  await inBatches(
    [...ids.values()].filter((id) => !droppedByEmulator.includes(id)),
    async (id) => {
      const app = await parent.call('GET', `/applications/${id}`);
      expect(app.status).toBe(200);
      expect(app.body.steps.length).toBeGreaterThan(0);
      const events = await parent.call('GET', `/applications/${id}/events`);
      expect(events.body.items.map((e: { type: string }) => e.type)).toContain('submitted');
    },
  );
}

async function inBatches<T>(items: T[], each: (item: T) => Promise<void>, size = 6) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(each));
}

/** Submits with one key until it is accepted: the first success after the fault. */
async function submitOnceRecovered(): Promise<Outcome> {
  const key = `fault-${++counter}`;
  let last = await submit(key);
  const deadline = Date.now() + 30_000;
  while (last.status >= 300 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    last = await submit(key);
  }
  return last;
}

async function submitInTurn(n: number): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (let i = 0; i < n; i++) out.push(await submit());
  return out;
}

describe('DynamoDB Local killed under load', () => {
  it('answers 503 with Retry-After meanwhile, loses nothing, and recovers without a restart', async () => {
    // Arrange: applications accepted before the fault
    await asNewParent('fault-parent-kill');
    const before = await submitInTurn(5);
    expect(before.map((o) => o.status)).toEqual([201, 201, 201, 201, 201]);
    const pid = dynamoPid();

    // Act: kill the store under load, keep the load on until the supervisor has it back
    const recovered = (async () => {
      await new Promise((r) => setTimeout(r, 300));
      killedAt = Date.now();
      process.kill(pid, 'SIGKILL');
      await waitFor(async () => {
        const res = await new ApiClient(rt.url).call('GET', '/health');
        return res.status === 503 && res.body.dependencies.table === 'down';
      }, '/health to report the table down');
      await waitFor(healthy, '/health to answer 200 again');
    })();
    const during = await load(4, recovered);
    await recovered;
    const after = await submitOnceRecovered();

    // Assert
    expect(dynamoPid()).not.toBe(pid);
    expect(rt.logs.join('')).toContain(`DynamoDB Local (pid ${pid}) killed by SIGKILL; restarting`);
    expect(during.some((o) => o.status === 503)).toBe(true);
    expectOnlyRetryableFailures(during);
    expect(after.status).toBe(201);
    await expectNothingLostOrHalfWritten([...before, ...during, after]);
  });
});

describe('DynamoDB Local frozen under load', () => {
  it('times requests out as 503 with Retry-After and carries on once the store thaws', async () => {
    // Arrange
    await asNewParent('fault-parent-freeze');
    const before = await submitInTurn(3);
    expect(before.map((o) => o.status)).toEqual([201, 201, 201]);
    const pid = dynamoPid();

    // Act: freeze the store under load; thaw it once /health and the load have seen it down
    process.kill(pid, 'SIGSTOP');
    let health: Awaited<ReturnType<ApiClient['call']>> | undefined;
    const during: Outcome[] = [];
    const thawed = (async () => {
      // /health sees the store down within a probe's timeout (a request already answered while
      // the signal was being delivered may still say up: ask again until it says down)
      const healthDeadline = Date.now() + 15_000;
      do {
        health = await new ApiClient(rt.url).call('GET', '/health');
      } while (health.status !== 503 && Date.now() < healthDeadline);
      // frozen until the load has seen a request give up (the SDK's retries outlast a short freeze)
      const deadline = Date.now() + 60_000;
      while (!during.some((o) => o.status === 503) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      process.kill(pid, 'SIGCONT');
      await waitFor(healthy, '/health to answer 200 after SIGCONT');
    })();
    await load(3, thawed, during).finally(() => process.kill(pid, 'SIGCONT'));
    const after = await submitOnceRecovered();

    // Assert
    expect(health?.status).toBe(503);
    expect(health?.headers.get('retry-after')).toBe('5');
    expect(health?.body.dependencies).toMatchObject({ table: 'down', documents: 'up', mail: 'up' });
    expect(dynamoPid()).toBe(pid);
    expect(during.some((o) => o.status === 503)).toBe(true);
    expectOnlyRetryableFailures(during);
    expect(after.status).toBe(201);
    await expectNothingLostOrHalfWritten([...before, ...during, after]);
  });
});
