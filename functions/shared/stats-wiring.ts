/**
 * The statistics cells (DDSketches and counters), built once per cold start (the DynamoDB client
 * from the same factory as the container's, no ID-number cipher): the reports read them, the metrics consumer writes them. Apart from
 * wiring.ts so that only those two functions bundle the sketches.
 */

import { makeDocumentClient } from '#adapters/dynamodb/client';
import { DynamoStatsStore } from '#adapters/dynamodb/stats-repository';
import { optionalEnv, requireEnv } from './env.ts';

let stats: DynamoStatsStore | undefined;

export function statsStore(): DynamoStatsStore {
  stats ??= new DynamoStatsStore(makeDocumentClient(), requireEnv('TABLE_NAME'), {
    configTtlMs: Number(optionalEnv('STATS_CONFIG_TTL_MS', '5000')),
  });
  return stats;
}
