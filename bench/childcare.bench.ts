/**
 * Childcare allocation under contention, against a baseline in the same run on the same DynamoDB
 * Local (in memory, started here):
 *  - baseline: 200 concurrent clients doing conditional PutItem (`attribute_not_exists`) of
 *    distinct items the size of a registration;
 *  - contended: 200 concurrent registrations (distinct children) for ONE nursery with 20 places,
 *    rolling mode: every registration's transaction updates that intake's counters (20 takes
 *    with `taken < capacity`, 180 waitlist joins), so they serialise on one item;
 *  - spread: 200 concurrent registrations over 50 nurseries with free places (little contention).
 * Each registration is a pool read plus ONE TransactWriteItems (application, task, events,
 * uniqueness item, intake counters, waitlist entry). Registrations/s ÷ PutItem/s is the figure.
 * Correctness is checked on the way: exactly 20 offers and 180 waitlisted per contended batch.
 *
 *   npx tsx bench/childcare.bench.ts     → prints a table, writes bench/results/childcare.json
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { localFieldCipher } from '#adapters/crypto/field-cipher';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { createTableInput } from '#adapters/dynamodb/table-schema';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import type { Actor } from '#core/engine/types';
import { ChildcareService } from '#services/childcare-slot/service';
import { DynamoNurseryRepository } from '#services/childcare-slot/store';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { childForm, TERM } from '../tests/support/childcare.ts';
import { table, writeResult } from './support.ts';

const CLIENTS = 200;
const CAPACITY = 20;
const BATCHES = Number(process.env.CHILDCARE_BENCH_BATCHES ?? 2);
const PUTS = Number(process.env.CHILDCARE_BENCH_PUTS ?? 1000);
const admin: Actor = { sub: 'bench-admin', role: 'admin' };
const now = new Date('2026-11-25T01:00:00Z');

async function main() {
  const started = Date.now();
  const ddb = await startDynamoDbLocal({});
  try {
    const client = new DynamoDBClient({
      endpoint: ddb.endpoint,
      region: 'ap-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      maxAttempts: 3,
      // One socket per client, so the SDK's pool is not what limits either case.
      requestHandler: { httpAgent: { keepAlive: true, maxSockets: CLIENTS + 16 } },
    });
    const tableName = 'childcare-bench';
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const repo = new DynamoApplicationRepository(
      doc,
      tableName,
      localFieldCipher(join(mkdtempSync(join(tmpdir(), 'k-')), 'k.json')),
    );
    let attempts = 0;
    let failures: Record<string, number> = {};
    const create = repo.create.bind(repo);
    repo.create = async (...args: Parameters<typeof create>) => {
      attempts++;
      try {
        return await create(...args);
      } catch (err) {
        const name = (err as Error).name;
        failures[name] = (failures[name] ?? 0) + 1;
        throw err;
      }
    };
    const service = new ApplicationService(repo, {
      clock: { now: () => now },
      ids: { newId: ulid },
      calendar: new WorkingCalendar(),
    });
    const register = new ChildcareService(new DynamoNurseryRepository(doc, tableName), {
      clock: { now: () => now },
    });
    const openNursery = async (id: string, capacity: number) => {
      await register.registerNursery(admin, {
        id,
        name: { 'zh-CN': `${id} 托育园`, en: `${id} nursery` },
        township: 'liushi',
        address: '柳市镇测试路 1 号',
        licenceNumber: '330382TY2024999',
        type: 'inclusive',
        places: { toddler: 500 },
      });
      await register.putIntake(admin, id, TERM, 'toddler', { capacity, mode: 'rolling' });
    };

    // Baseline: conditional PutItem of distinct items, registration-sized, 200 clients.
    const payload = JSON.stringify(childForm(0)).repeat(3);
    let next = 0;
    const putStart = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < PUTS) {
          next++;
          await doc.send(
            new PutCommand({
              TableName: tableName,
              Item: { pk: `BENCH#${randomUUID()}`, sk: 'A', payload },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
        }
      }),
    );
    const putPerSecond = (PUTS * 1000) / (performance.now() - putStart);

    let child = 0;
    const batch = async (preferences: (i: number) => string[]) => {
      const first = child;
      child += CLIENTS;
      const t0 = performance.now();
      const results = await Promise.all(
        Array.from({ length: CLIENTS }, (_, i) =>
          service.submit(
            { sub: `bench-parent-${first + i}`, role: 'parent' },
            { service: 'childcare-slot', form: childForm(first + i, { preferences: preferences(i) }) },
          ),
        ),
      );
      const ms = performance.now() - t0;
      const offers = results.filter((r) => r.view.steps[0]?.status === 'done').length;
      return { ms, offers, waitlisted: results.filter((r) => r.view.steps[0]?.status === 'waiting').length };
    };

    // Contended: one nursery, 20 places, 200 at once; a fresh nursery per batch.
    const contended: Array<{ ms: number; offers: number; waitlisted: number }> = [];
    attempts = 0;
    failures = {};
    for (let b = 0; b < BATCHES; b++) {
      await openNursery(`hot-${b}`, CAPACITY);
      const r = await batch(() => [`hot-${b}`]);
      if (r.offers !== CAPACITY || r.waitlisted !== CLIENTS - CAPACITY) {
        throw new Error(`capacity broken: ${r.offers} offers, ${r.waitlisted} waitlisted`);
      }
      contended.push(r);
    }
    const contendedAttempts = attempts;
    const contendedFailures = failures;

    // Spread: 50 nurseries with room for everyone.
    for (let n = 0; n < 50; n++) await openNursery(`calm-${n}`, 10);
    attempts = 0;
    const spread = await batch((i) => [`calm-${i % 50}`]);
    const spreadAttempts = attempts;

    const contendedMs = contended.reduce((s, r) => s + r.ms, 0);
    const contendedPerSecond = (CLIENTS * BATCHES * 1000) / contendedMs;
    const spreadPerSecond = (CLIENTS * 1000) / spread.ms;
    table([
      {
        case: `conditional PutItem (baseline), ${CLIENTS} clients`,
        'ops/s': putPerSecond.toFixed(0),
        'ratio to PutItem': '1.00',
        'tx attempts/registration': '-',
      },
      {
        case: `registrations, 1 nursery × ${CAPACITY} places, ${CLIENTS} clients (contended)`,
        'ops/s': contendedPerSecond.toFixed(0),
        'ratio to PutItem': (contendedPerSecond / putPerSecond).toFixed(3),
        'tx attempts/registration': (contendedAttempts / (CLIENTS * BATCHES)).toFixed(2),
      },
      {
        case: `registrations, 50 nurseries with room, ${CLIENTS} clients (spread)`,
        'ops/s': spreadPerSecond.toFixed(0),
        'ratio to PutItem': (spreadPerSecond / putPerSecond).toFixed(3),
        'tx attempts/registration': (spreadAttempts / CLIENTS).toFixed(2),
      },
    ]);
    writeResult('childcare', {
      clients: CLIENTS,
      capacity: CAPACITY,
      batches: BATCHES,
      putItem: { ops: PUTS, perSecond: putPerSecond },
      contended: {
        registrations: CLIENTS * BATCHES,
        perSecond: contendedPerSecond,
        ratioToPutItem: contendedPerSecond / putPerSecond,
        transactionAttemptsPerRegistration: contendedAttempts / (CLIENTS * BATCHES),
        /** failed attempts by error: a lost race for the last place, or a write conflict on the intake */
        failedAttempts: contendedFailures,
        batches: contended,
      },
      spread: {
        registrations: CLIENTS,
        perSecond: spreadPerSecond,
        ratioToPutItem: spreadPerSecond / putPerSecond,
        transactionAttemptsPerRegistration: spreadAttempts / CLIENTS,
      },
      seconds: (Date.now() - started) / 1000,
    });
    console.log('failed transaction attempts in the contended batches (retried):', contendedFailures);
    console.log(`childcare bench done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await ddb.stop();
  }
}

await main();
