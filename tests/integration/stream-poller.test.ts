/**
 * The local event-source mapping on DynamoDB Local's real stream: a poison record is retried,
 * then isolated and dead-lettered on its own; every other record is delivered, in order, and
 * the dead letter holds only coordinates (never the item's image).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventOf } from '#adapters/dynamodb/stream-records';
import { handler as metricsHandler } from '../../functions/streams/metrics.ts';
import { StreamPoller } from '../../local/stream-poller.ts';
import { freshTable } from '../support/dynamo.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
beforeAll(async () => {
  table = await freshTable('poller');
});
afterAll(() => table.drop());

describe('StreamPoller', () => {
  it('dead-letters a poison record alone and delivers all the others', async () => {
    for (let i = 1; i <= 5; i++) {
      await table.doc.send(
        new PutCommand({
          TableName: table.tableName,
          Item: { pk: `P#${i}`, sk: 'A', secret: '330382199503120249', poison: i === 3 },
        }),
      );
    }
    const handled: string[] = [];
    const handler = async (event: DynamoDBStreamEvent) => {
      const failures = [];
      for (const r of event.Records) {
        const pk = r.dynamodb?.Keys?.pk?.S ?? '';
        if (r.dynamodb?.NewImage?.poison?.BOOL)
          failures.push({ itemIdentifier: r.dynamodb.SequenceNumber ?? '' });
        else if (failures.length === 0) handled.push(pk); // a real consumer stops at the first failure
      }
      return { batchItemFailures: failures };
    };
    const dir = mkdtempSync(join(tmpdir(), 'poller-'));
    const deadLetterFile = join(dir, 'dead.jsonl');
    const poller = new StreamPoller({
      name: 'test',
      endpoint: table.endpoint,
      tableName: table.tableName,
      handler,
      checkpointFile: join(dir, 'checkpoint.json'),
      deadLetterFile,
      maxRetries: 1,
    });

    const until = Date.now() + 20_000;
    while (new Set(handled).size < 4 && Date.now() < until) await poller.pollOnce();

    expect([...new Set(handled)].sort()).toEqual(['P#1', 'P#2', 'P#4', 'P#5']);
    const dead = readFileSync(deadLetterFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(dead).toHaveLength(1);
    expect(dead[0].keys.pk.S).toBe('P#3');
    expect(JSON.stringify(dead)).not.toContain('330382199503120249');
    // The checkpoint moved past everything: a restart re-delivers nothing.
    const again: string[] = [];
    const restarted = new StreamPoller({
      name: 'test',
      endpoint: table.endpoint,
      tableName: table.tableName,
      handler: async (e) => {
        again.push(...e.Records.map((r) => r.dynamodb?.Keys?.pk?.S ?? ''));
        return { batchItemFailures: [] };
      },
      checkpointFile: join(dir, 'checkpoint.json'),
      deadLetterFile,
    });
    await restarted.pollOnce();
    expect(again).toEqual([]);
  });

  it('stops promptly while retrying a failing batch, and checkpoints nothing of it', async () => {
    await table.doc.send(
      new PutCommand({ TableName: table.tableName, Item: { pk: 'STOP#1', sk: 'A', n: 1 } }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'poller-stop-'));
    let calls = 0;
    const options = {
      name: 'stop-test',
      endpoint: table.endpoint,
      tableName: table.tableName,
      checkpointFile: join(dir, 'checkpoint.json'),
      deadLetterFile: join(dir, 'dead.jsonl'),
      maxRetries: 50,
    };
    const poller = new StreamPoller({
      ...options,
      handler: async () => {
        calls++;
        throw new Error('store unavailable');
      },
    });
    poller.start();
    const until = Date.now() + 20_000;
    while (calls < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await poller.stop();
    expect(Date.now() - t0).toBeLessThan(5_000);
    // nothing was checkpointed: after a restart the records come again
    const seen: string[] = [];
    const restarted = new StreamPoller({
      ...options,
      handler: async (e) => {
        seen.push(...e.Records.map((r) => r.dynamodb?.Keys?.pk?.S ?? ''));
        return { batchItemFailures: [] };
      },
    });
    await restarted.pollOnce();
    expect(seen).toContain('STOP#1');
  });

  it('consumers skip non-event items without reading them (an empty map in a budget item)', async () => {
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { pk: 'RBUDGET#x', sk: 'Y#2026', type: 'rehab-budget', months: {}, approvedTotalFen: 0 },
      }),
    );
    const records: DynamoDBStreamEvent['Records'] = [];
    const dir = mkdtempSync(join(tmpdir(), 'poller-budget-'));
    const poller = new StreamPoller({
      name: 'budget-test',
      endpoint: table.endpoint,
      tableName: table.tableName,
      checkpointFile: join(dir, 'checkpoint.json'),
      deadLetterFile: join(dir, 'dead.jsonl'),
      handler: async (e) => {
        records.push(...e.Records);
        return { batchItemFailures: [] };
      },
    });
    const until = Date.now() + 20_000;
    while (!records.some((r) => r.dynamodb?.Keys?.pk?.S === 'RBUDGET#x') && Date.now() < until)
      await poller.pollOnce();
    const budget = records.filter((r) => r.dynamodb?.Keys?.pk?.S === 'RBUDGET#x');
    expect(budget).toHaveLength(1);
    expect(eventOf(budget[0] as (typeof records)[number])).toBeUndefined();
    expect(await metricsHandler({ Records: budget })).toEqual({ batchItemFailures: [] });
  });
});
