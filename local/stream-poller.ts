/**
 * A local event-source mapping: reads DynamoDB Local's stream and invokes a stream handler with
 * real `DynamoDBStreamEvent` batches, with the semantics of a Lambda mapping with
 * ReportBatchItemFailures: on failure the batch is retried from the first failed record, up to
 * `maxRetries`, then the failed records go to a dead-letter file and the poller moves on.
 * Checkpoints (last sequence number per shard) persist in a file so a restart resumes where it
 * stopped; anything not checkpointed is delivered again (consumers are idempotent by event id).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { sdkHttpTimeouts } from '../functions/adapters/dependency-failure.ts';

export type StreamHandler = (
  event: DynamoDBStreamEvent,
) => Promise<DynamoDBBatchResponse | undefined | undefined>;

export interface PollerOptions {
  name: string;
  endpoint: string;
  tableName: string;
  handler: StreamHandler;
  checkpointFile: string;
  deadLetterFile: string;
  batchSize?: number;
  intervalMs?: number;
  maxRetries?: number;
  log?: (line: string) => void;
}

export class StreamPoller {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly checkpoints: Record<string, string>;
  private readonly iterators = new Map<string, string>();
  private readonly streams: DynamoDBStreamsClient;
  private readonly ddb: DynamoDBClient;
  /** records delivered to the handler, for tests and progress output */
  delivered = 0;

  constructor(private readonly opts: PollerOptions) {
    const cfg = {
      endpoint: opts.endpoint,
      region: 'ap-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: sdkHttpTimeouts(),
    };
    this.streams = new DynamoDBStreamsClient(cfg);
    this.ddb = new DynamoDBClient(cfg);
    this.checkpoints = existsSync(opts.checkpointFile)
      ? JSON.parse(readFileSync(opts.checkpointFile, 'utf8'))
      : {};
  }

  /** set by stop(): a batch being retried is given up (not checkpointed) instead of finished */
  private stopRequested = false;

  start() {
    this.running = true;
    this.stopRequested = false;
    this.loop = this.run();
  }

  async stop() {
    this.running = false;
    this.stopRequested = true;
    await this.loop;
  }

  /** One pass over every shard; returns the number of records handled. Exposed for tests. */
  async pollOnce(): Promise<number> {
    const table = await this.ddb.send(new DescribeTableCommand({ TableName: this.opts.tableName }));
    const arn = table.Table?.LatestStreamArn;
    if (!arn) return 0;
    const desc = await this.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    let handled = 0;
    for (const shard of desc.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId;
      if (!shardId) continue;
      let iterator = this.iterators.get(shardId);
      if (!iterator) {
        const after = this.checkpoints[shardId];
        const it = await this.streams.send(
          new GetShardIteratorCommand({
            StreamArn: arn,
            ShardId: shardId,
            ...(after
              ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
              : { ShardIteratorType: 'TRIM_HORIZON' }),
          }),
        );
        iterator = it.ShardIterator;
        if (!iterator) continue;
      }
      const page = await this.streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: this.opts.batchSize ?? 100 }),
      );
      if (page.NextShardIterator) this.iterators.set(shardId, page.NextShardIterator);
      else this.iterators.delete(shardId);
      const records = page.Records ?? [];
      if (records.length === 0) continue;
      // stopped while retrying: nothing of this batch is checkpointed, so it is delivered again
      // at the next start (consumers are idempotent by event id)
      if (!(await this.deliver(arn, records))) return handled;
      this.checkpoints[shardId] =
        records[records.length - 1]?.dynamodb?.SequenceNumber ?? this.checkpoints[shardId] ?? '';
      this.saveCheckpoints();
      handled += records.length;
    }
    return handled;
  }

  /**
   * Delivers records in order. A failure retries from the first failed record with backoff;
   * after `maxRetries` that record is tried alone (like Lambda's bisect-on-error) and, if it still
   * fails, dead-lettered on its own, so one poison record never blocks or drops the others.
   */
  private async deliver(arn: string, records: StreamRecord[]): Promise<boolean> {
    let pending = records.map((r) => toLambdaRecord(arn, r));
    const maxRetries = this.opts.maxRetries ?? 3;
    let attempt = 0;
    while (pending.length > 0) {
      if (this.stopRequested && attempt > 0) return false;
      const isolate = attempt > maxRetries;
      const batch = isolate ? pending.slice(0, 1) : pending;
      const failedFrom = await this.invoke(batch);
      const done = failedFrom === -1 ? batch.length : failedFrom;
      this.delivered += done;
      pending = pending.slice(done);
      if (done > 0) {
        attempt = 0; // progress: the retry budget belongs to the new first record
        continue;
      }
      if (isolate) {
        this.deadLetter(pending.slice(0, 1));
        pending = pending.slice(1);
        attempt = 0;
        continue;
      }
      await sleep(Math.min(2000, 100 * 2 ** attempt));
      attempt++;
    }
    return true;
  }

  /** Index of the first failed record in `batch`, or -1 when all succeeded. */
  private async invoke(batch: DynamoDBRecord[]): Promise<number> {
    try {
      const res = await this.opts.handler({ Records: batch });
      const failed = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      return batch.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
    } catch (err) {
      this.opts.log?.(`[${this.opts.name}] handler threw: ${(err as Error).message}`);
      return 0;
    }
  }

  private deadLetter(records: DynamoDBRecord[]) {
    mkdirSync(dirname(this.opts.deadLetterFile), { recursive: true });
    for (const r of records) {
      // Only coordinates, never the images (they may hold personal data).
      const line = {
        consumer: this.opts.name,
        at: new Date().toISOString(),
        sequenceNumber: r.dynamodb?.SequenceNumber,
        keys: r.dynamodb?.Keys,
      };
      appendFileSync(this.opts.deadLetterFile, `${JSON.stringify(line)}\n`);
    }
    this.opts.log?.(
      `[${this.opts.name}] ${records.length} record(s) sent to the dead-letter file ${this.opts.deadLetterFile}`,
    );
  }

  private saveCheckpoints() {
    mkdirSync(dirname(this.opts.checkpointFile), { recursive: true });
    writeFileSync(this.opts.checkpointFile, JSON.stringify(this.checkpoints));
  }

  private async run() {
    while (this.running) {
      try {
        const n = await this.pollOnce();
        if (n > 0) continue;
      } catch (err) {
        this.opts.log?.(`[${this.opts.name}] poll failed: ${(err as Error).message}`);
        this.iterators.clear();
      }
      await sleep(this.opts.intervalMs ?? 250);
    }
  }
}

function toLambdaRecord(arn: string, r: StreamRecord): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  return {
    eventID: r.eventID,
    eventName: r.eventName as DynamoDBRecord['eventName'],
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ap-east-1',
    eventSourceARN: arn,
    dynamodb: {
      ApproximateCreationDateTime: d.ApproximateCreationDateTime
        ? d.ApproximateCreationDateTime.getTime() / 1000
        : Date.now() / 1000,
      Keys: d.Keys as never,
      NewImage: d.NewImage as never,
      OldImage: d.OldImage as never,
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType as never,
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
