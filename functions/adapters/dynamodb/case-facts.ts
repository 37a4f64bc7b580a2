/**
 * Facts for the plan's indicators from the applications of one service submitted in a China
 * calendar year: Query GSI1 `SVC#<service>#<status>` per status (updated on or after the year's
 * start, created within it), projecting only the attributes an indicator names (never the ID
 * number or a name). The modules' indicator loaders use it (functions/services/<id>/indicators.ts).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ApplicationStatus } from '#core/engine/types';
import { table } from '#shared/table';
import { keys } from './keys.ts';

type Item = Record<string, unknown>;

const STATUSES: ApplicationStatus[] = [
  'in-progress',
  'info-requested',
  'completed',
  'partially-completed',
  'rejected',
  'withdrawn',
];

/** The UTC instant a China (UTC+8) calendar year starts. */
export const chinaYearStart = (year: number) => new Date(Date.UTC(year, 0, 1) - 8 * 3600_000).toISOString();

/**
 * `paths`: attribute paths to project, e.g. `form.child.hospital`, `steps.medical-insurance.status`
 * (each dot-separated name becomes an expression attribute name). Always projects status,
 * createdAt, completedAt, dueAt and township.
 */
export async function casesCreatedInYear(
  service: string,
  year: number,
  paths: string[] = [],
): Promise<Item[]> {
  const { doc, tableName } = table();
  const names: Record<string, string> = {};
  let n = 0;
  const alias = (name: string) => {
    const found = Object.entries(names).find(([, v]) => v === name);
    if (found) return found[0];
    const a = `#n${n++}`;
    names[a] = name;
    return a;
  };
  const projection = ['status', 'createdAt', 'completedAt', 'dueAt', 'township', ...paths]
    .map((p) => p.split('.').map(alias).join('.'))
    .join(', ');
  const from = chinaYearStart(year);
  const to = chinaYearStart(year + 1);
  const created = alias('createdAt');
  const lists = await Promise.all(
    STATUSES.map(async (status) => {
      const out: Item[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const res = await doc.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :from',
            FilterExpression: `${created} >= :from AND ${created} < :to`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ':pk': keys.appStatusIndex(service, status, '', '').gsi1pk,
              ':from': from,
              ':to': to,
            },
            ProjectionExpression: projection,
            ExclusiveStartKey: start,
          }),
        );
        out.push(...((res.Items ?? []) as Item[]));
        start = res.LastEvaluatedKey;
      } while (start);
      return out;
    }),
  );
  return lists.flat();
}

/** A nested attribute of a projected item, e.g. `at(item, 'form.child.hospital')`. */
export function at(item: Item, path: string): unknown {
  let v: unknown = item;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Item)[part];
  }
  return v;
}
