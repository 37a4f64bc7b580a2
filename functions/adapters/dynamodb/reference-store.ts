/**
 * Admin-maintained reference data with history (functions/core/reference/book.ts), one
 * partition per kind so that a whole kind is one Query:
 *   entry head ...... pk=REF#<kind> sk=<id>#HEAD   (version: optimistic locking)
 *   change (audit) .. pk=REF#<kind> sk=<id>#H#<version, 6 digits>   (append-only)
 *   seed marker ..... pk=REF#<kind> sk=~SEEDED
 * A change is one transaction: the head's version moves from the version the admin read to the
 * next (condition), and the change item is put if absent. Of two concurrent edits from the same
 * version one commits and the other is a VersionConflictError (409): nothing is overwritten and
 * every committed change stays in the history.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { VersionConflictError } from '#core/errors';
import {
  type ReferenceChange,
  type ReferenceEntry,
  type ReferenceKind,
  type RefValues,
  referenceKinds,
  SEED_ACTOR,
  SEED_EFFECTIVE,
  seedEntries,
} from '#core/reference/book';
import type { ReferenceStore } from '#core/reference/ports';
import { keys } from './keys.ts';

type Item = Record<string, unknown>;

const pad = (n: number) => String(n).padStart(6, '0');

export class DynamoReferenceStore implements ReferenceStore {
  private seeded = new Set<ReferenceKind>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * `readOnly` (functions with read access only, e.g. the reports): an unseeded kind answers the
   * seed without writing it.
   */
  async list(kind: ReferenceKind, opts: { readOnly?: boolean } = {}): Promise<ReferenceEntry[]> {
    let items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.referencePk(kind) },
    });
    if (!this.seeded.has(kind)) {
      // the seed once, and later any entry the code gained since (e.g. a new module's agencies)
      const written = new Set(entriesOf(kind, items).map((e) => e.id));
      const missing = seedEntries(kind).filter((s) => !written.has(s.id));
      if (missing.length > 0 || !items.some((i) => i.sk === keys.referenceSeedSk)) {
        if (opts.readOnly) {
          const at = this.now().toISOString();
          const seed = missing.map((s) => ({
            kind,
            id: s.id,
            version: 1,
            history: [
              {
                kind,
                id: s.id,
                version: 1,
                effectiveFrom: SEED_EFFECTIVE,
                values: s.values,
                by: SEED_ACTOR,
                at,
              },
            ],
          }));
          return [...entriesOf(kind, items), ...seed];
        }
        await this.seed(kind, missing);
        items = await this.queryAll({
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.referencePk(kind) },
        });
      }
    }
    this.seeded.add(kind);
    return entriesOf(kind, items);
  }

  async listAll(opts: { readOnly?: boolean } = {}): Promise<ReferenceEntry[]> {
    return (await Promise.all(referenceKinds.map((k) => this.list(k, opts)))).flat();
  }

  async change(
    change: Omit<ReferenceChange, 'version' | 'at'>,
    expectedVersion: number,
  ): Promise<ReferenceChange> {
    const version = expectedVersion + 1;
    const at = this.now().toISOString();
    const record: ReferenceChange = { ...change, version, at };
    try {
      await this.doc.send(
        new TransactWriteCommand({ TransactItems: this.changeItems(record, expectedVersion) }),
      );
    } catch (err) {
      if (err instanceof TransactionCanceledException) {
        const codes = err.CancellationReasons?.map((r) => r.Code ?? 'None') ?? [];
        if (codes.some((c) => c === 'ConditionalCheckFailed' || c === 'TransactionConflict')) {
          throw new VersionConflictError({
            'zh-CN': '该参考数据已被他人修改，请刷新后重试',
            en: 'This reference entry was changed by someone else; reload and retry',
          });
        }
      }
      throw err;
    }
    return record;
  }

  private changeItems(record: ReferenceChange, expectedVersion: number) {
    const head = keys.referenceHead(record.kind, record.id);
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...head,
            type: 'reference-head',
            kind: record.kind,
            id: record.id,
            version: record.version,
          },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.referenceChange(record.kind, record.id, pad(record.version)),
            type: 'reference-change',
            ...record,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }

  /**
   * Loads the seed once: each entry as its first change (put only if the entry does not exist,
   * so concurrent first uses write it once), then the marker.
   */
  private async seed(kind: ReferenceKind, entries: Array<{ id: string; values: RefValues }>): Promise<void> {
    const at = this.now().toISOString();
    for (const { id, values } of entries) {
      const record: ReferenceChange = {
        kind,
        id,
        version: 1,
        effectiveFrom: SEED_EFFECTIVE,
        values: values as RefValues,
        by: SEED_ACTOR,
        at,
      };
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: this.changeItems(record, 0) }));
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
      }
    }
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { pk: keys.referencePk(kind), sk: keys.referenceSeedSk, type: 'reference-seed', at },
            },
          },
        ],
      }),
    );
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const out: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          ...input,
          TableName: this.tableName,
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      out.push(...((res.Items ?? []) as Item[]));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }
}

function entriesOf(kind: ReferenceKind, items: Item[]): ReferenceEntry[] {
  const byId = new Map<string, ReferenceEntry>();
  for (const item of items) {
    if (item.type !== 'reference-head' && item.type !== 'reference-change') continue;
    const id = String(item.id);
    let e = byId.get(id);
    if (!e) {
      e = { kind, id, version: 0, history: [] };
      byId.set(id, e);
    }
    if (item.type === 'reference-head') e.version = Number(item.version);
    else
      e.history.push({
        kind,
        id,
        version: Number(item.version),
        effectiveFrom: String(item.effectiveFrom),
        values: item.values as RefValues,
        by: String(item.by),
        at: String(item.at),
        ...(item.note ? { note: String(item.note) } : {}),
      });
  }
  for (const e of byId.values()) e.history.sort((a, b) => a.version - b.version);
  return [...byId.values()];
}
