/**
 * Store benchmarks, all in one run on this machine:
 *  1. submissions per second end to end through the local runtime (HTTP → gateway → middy →
 *     engine → one TransactWriteItems on DynamoDB Local) against raw PutItem of an item of the
 *     same size on the same DynamoDB Local, same concurrency; the ratio is the figure.
 *  2. DynamoDB capacity units consumed per completed birth application (every request's
 *     ReturnConsumedCapacity summed) and the resulting cost per 1,000 applications at list prices.
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
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { birthDeciders, parentA } from '../tests/support/actors.ts';
import { birthForm } from '../tests/support/forms.ts';
import { ApiClient, startRuntimeProcess } from '../tests/support/runtime-process.ts';
import { table, writeResult } from './support.ts';

const CONCURRENCY = 16;
const DURATION_MS = 5_000;

/** List prices, DynamoDB on-demand (us-east-1, since the November 2024 reduction). */
const PRICE_PER_MILLION_WRU = 0.625;
const PRICE_PER_MILLION_RRU = 0.125;

async function closedLoop(worker: (i: number) => Promise<void>): Promise<{ ops: number; perSecond: number }> {
  let ops = 0;
  const until = Date.now() + DURATION_MS;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      while (Date.now() < until) {
        await worker(w);
        ops++;
      }
    }),
  );
  return { ops, perSecond: (ops * 1000) / (Date.now() - started) };
}

async function throughput() {
  const rt = await startRuntimeProcess({
    SUBMISSIONS_PER_MINUTE: '1000000',
    LOG_LEVEL: 'error',
    ONESTOP_STREAMS: 'off',
  });
  try {
    const clients = await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) =>
        ApiClient.as(rt.url, { sub: `bench-parent-${i}`, role: 'parent' }),
      ),
    );
    const form = birthForm();
    const body = { service: 'birth-registration', form };
    // Raw PutItem on the runtime's own DynamoDB Local, with an item of the submitted body's size.
    const raw = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: rt.dynamoEndpoint,
        region: 'ap-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      }),
    );
    const payload = JSON.stringify(body);
    const warm = await clients[0]!.call('POST', '/applications', body);
    if (warm.status !== 201)
      throw new Error(`submission failed: ${warm.status} ${JSON.stringify(warm.body)}`);
    const put = await closedLoop(() =>
      raw
        .send(
          new PutCommand({
            TableName: rt.tableName,
            Item: { pk: `BENCH#${randomUUID()}`, sk: 'A', payload },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        )
        .then(() => undefined),
    );
    const e2e = await closedLoop(async (w) => {
      const res = await clients[w]!.call('POST', '/applications', body);
      if (res.status !== 201) throw new Error(`submission failed: ${res.status}`);
    });
    return { put, e2e };
  } finally {
    await rt.stop();
  }
}

async function capacityPerApplication() {
  const ddbLocal = await startDynamoDbLocal({});
  try {
    const client = new DynamoDBClient({
      endpoint: ddbLocal.endpoint,
      region: 'ap-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const tableName = 'capacity';
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    const totals = { read: 0, write: 0, requests: 0 };
    // Ask for ConsumedCapacity on every request and add it up.
    client.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as Record<string, unknown>;
        input.ReturnConsumedCapacity = 'TOTAL';
        const out = await next(args);
        const cc = (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
        for (const c of (Array.isArray(cc) ? cc : cc ? [cc] : []) as Array<{
          ReadCapacityUnits?: number;
          WriteCapacityUnits?: number;
          CapacityUnits?: number;
        }>) {
          totals.read += c.ReadCapacityUnits ?? 0;
          totals.write += c.WriteCapacityUnits ?? 0;
          if (c.ReadCapacityUnits === undefined && c.WriteCapacityUnits === undefined)
            totals.write += c.CapacityUnits ?? 0;
        }
        totals.requests++;
        return out;
      },
      { step: 'initialize', name: 'consumedCapacity' },
    );
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const repo = new DynamoApplicationRepository(
      doc,
      tableName,
      localFieldCipher(join(mkdtempSync(join(tmpdir(), 'k-')), 'k.json')),
    );
    const service = new ApplicationService(repo, {
      clock: { now: () => new Date() },
      ids: { newId: ulid },
      calendar: new WorkingCalendar(),
    });
    const N = 20;
    for (let i = 0; i < N; i++) {
      const { view } = await service.submit(parentA, { service: 'birth-registration', form: birthForm() });
      for (const step of [
        'birth-certificate',
        'vaccination',
        'hukou',
        'medical-insurance',
        'social-security-card',
        'delivery',
      ]) {
        const d = birthDeciders[step]!;
        await service.claim(d.actor, view.id, step);
        await service.decide(d.actor, view.id, step, { decision: 'approve', outputs: d.outputs });
      }
      await service.get(parentA, view.id);
    }
    return {
      applications: N,
      perApplication: { read: totals.read / N, write: totals.write / N, requests: totals.requests / N },
    };
  } finally {
    await ddbLocal.stop();
  }
}

async function main() {
  const { put, e2e } = await throughput();
  const cap = await capacityPerApplication();
  const costPer1000 =
    (cap.perApplication.write * 1000 * PRICE_PER_MILLION_WRU) / 1e6 +
    (cap.perApplication.read * 1000 * PRICE_PER_MILLION_RRU) / 1e6;
  table([
    { case: 'raw conditional PutItem (baseline)', 'ops/s': put.perSecond.toFixed(0), ratio: '1.00' },
    {
      case: 'submission end to end (HTTP → TransactWriteItems)',
      'ops/s': e2e.perSecond.toFixed(0),
      ratio: (e2e.perSecond / put.perSecond).toFixed(2),
    },
  ]);
  table([
    {
      service: 'birth-registration (submit, 6 claims, 6 decisions, 1 read)',
      'WCU/app': cap.perApplication.write.toFixed(1),
      'RCU/app': cap.perApplication.read.toFixed(1),
      'requests/app': cap.perApplication.requests.toFixed(0),
      'USD per 1,000 apps': costPer1000.toFixed(4),
    },
  ]);
  writeResult('store', {
    concurrency: CONCURRENCY,
    durationMs: DURATION_MS,
    putItemPerSecond: put.perSecond,
    submissionsPerSecond: e2e.perSecond,
    ratio: e2e.perSecond / put.perSecond,
    capacity: cap,
    prices: { perMillionWru: PRICE_PER_MILLION_WRU, perMillionRru: PRICE_PER_MILLION_RRU },
    costPer1000Applications: costPer1000,
  });
}

await main();
