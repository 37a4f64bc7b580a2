/**
 * The table for read-mostly functions that need no ID-number cipher or application service (the
 * reports: indicator facts and reference data), built once per cold start from the same client
 * factory as the container's, so that they do not bundle the whole container.
 */
import { makeDocumentClient } from '#adapters/dynamodb/client';
import { requireEnv } from './env.ts';

let cached: { doc: ReturnType<typeof makeDocumentClient>; tableName: string } | undefined;

export function table() {
  cached ??= { doc: makeDocumentClient(), tableName: requireEnv('TABLE_NAME') };
  return cached;
}
