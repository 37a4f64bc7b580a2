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
});
