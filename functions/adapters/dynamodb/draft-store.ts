/**
 * The store of a parent's unsubmitted forms (core/drafts.ts; DESIGN §3 `DRAFT#…` items under
 * `USER#<sub>`). The form values
 * may hold half-typed 身份证号, so the whole payload is one AES-GCM field-cipher value: nothing of
 * a draft's content is stored or streamed in clear. Drafts expire (DynamoDB TTL on `expiresAt`,
 * refreshed on every save); reads also hide expired items because TTL deletion lags.
 * Saves are optimistic: the caller names the version it last saw (0 for a new draft).
 *
 * The per-parent limit is kept by the write itself: a parent has `maxDrafts` slot items, and a new
 * draft is created in one transaction with taking a free slot (empty, or pointing to a draft that
 * is gone or expired). Concurrent first saves cannot overshoot, and nothing needs decrementing: a
 * discarded, submitted or TTL-expired draft frees its slot by no longer being live.
 */

import { type AttributeValue, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { FieldCipher } from '#adapters/crypto/field-cipher';
import {
  type Draft,
  type DraftContent,
  DraftLimitError,
  type DraftStore,
  type DraftSummary,
  DraftVersionError,
} from '#core/drafts';
import { queryAll } from './application-repository.ts';
import { keys } from './keys.ts';

type Item = Record<string, unknown>;

export class DynamoDraftStore implements DraftStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly cipher: FieldCipher,
    private readonly ttlDays: number,
  ) {}

  async list(sub: string, now: Date): Promise<DraftSummary[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :draft)',
      ExpressionAttributeValues: { ':pk': keys.ownerPk(sub), ':draft': keys.draftPrefix },
      // the payload is not needed for a list
      ProjectionExpression: 'sk, service, draftId, #section, version, createdAt, updatedAt, expiresAt',
      ExpressionAttributeNames: { '#section': 'section' },
      ConsistentRead: true,
    });
    return items
      .filter((i) => live(i, now))
      .map(summary)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async get(sub: string, service: string, id: string, now: Date): Promise<Draft | null> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.draft(sub, service, id), ConsistentRead: true }),
    );
    if (!res.Item || !live(res.Item, now)) return null;
    const content = JSON.parse(this.cipher.decrypt(String(res.Item.payload))) as Omit<
      DraftContent,
      'section'
    >;
    return { ...summary(res.Item), ...content };
  }

  /**
   * Creates (expectedVersion 0) or replaces a draft. Throws DraftVersionError when the stored
   * version is not the expected one (another tab saved first, or the draft is gone).
   */
  async save(
    sub: string,
    service: string,
    id: string,
    content: DraftContent,
    expectedVersion: number,
    now: Date,
    maxDrafts: number,
  ): Promise<DraftSummary> {
    const at = now.toISOString();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const item: Item = {
      ...keys.draft(sub, service, id),
      type: 'draft',
      service,
      draftId: id,
      section: content.section,
      payload: this.cipher.encrypt(JSON.stringify({ values: content.values, toggles: content.toggles })),
      version: expectedVersion + 1,
      updatedAt: at,
      expiresAt: nowSeconds + this.ttlDays * 86_400,
    };
    const { pk, sk, ...fields } = item;
    const names = Object.keys(fields);
    const update = {
      TableName: this.tableName,
      Key: { pk, sk },
      UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :f${i}`).join(', ')}, createdAt = ${
        expectedVersion === 0 ? ':at' : 'if_not_exists(createdAt, :at)'
      }`,
      // new: nothing there, or an expired draft that lagging TTL has not deleted yet
      ConditionExpression:
        expectedVersion === 0
          ? 'attribute_not_exists(pk) OR expiresAt < :now'
          : 'version = :expected AND expiresAt >= :now',
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#f${i}`, n])),
      ExpressionAttributeValues: {
        ...Object.fromEntries(names.map((n, i) => [`:f${i}`, fields[n]])),
        ':at': at,
        ':now': nowSeconds,
        ...(expectedVersion === 0 ? {} : { ':expected': expectedVersion }),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
    if (expectedVersion === 0) {
      await this.createInSlot(sub, sk as string, update, now, maxDrafts);
      return summary({ ...item, createdAt: at });
    }
    let res: { Attributes?: Item };
    try {
      res = await this.doc.send(new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }));
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') {
        // the exception carries the old item in wire format (lib-dynamodb does not unmarshall it)
        const raw = (err as { Item?: Record<string, AttributeValue> }).Item;
        const old = raw ? unmarshall(raw) : undefined;
        throw new DraftVersionError(old && live(old, now) ? Number(old.version) : null);
      }
      throw err;
    }
    return summary(res.Attributes ?? item);
  }

  /**
   * Creates the draft in the same transaction as taking one of the parent's `maxDrafts` slots: a
   * free one picked at random (concurrent saves spread out); when it was taken meanwhile the slots
   * are read again, so a save is refused as soon as none is free.
   */
  private async createInSlot(
    sub: string,
    draftSk: string,
    update: Record<string, unknown>,
    now: Date,
    maxDrafts: number,
  ): Promise<void> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    for (let attempt = 0; attempt < maxDrafts + 5; attempt++) {
      const free = await this.freeSlots(sub, draftSk, now, maxDrafts);
      if (free.length === 0) throw new DraftLimitError();
      const { n, heldBy } = free[0] as { n: number; heldBy?: string };
      const items = [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.draftSlot(sub, n), type: 'draft-slot', slot: n, draftSk },
            ...(heldBy
              ? { ConditionExpression: 'draftSk = :held', ExpressionAttributeValues: { ':held': heldBy } }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        },
        // the draft the slot names must still be gone (it is checked by the update when it is this one)
        ...(heldBy && heldBy !== draftSk
          ? [
              {
                ConditionCheck: {
                  TableName: this.tableName,
                  Key: { pk: keys.ownerPk(sub), sk: heldBy },
                  ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
                  ExpressionAttributeValues: { ':now': nowSeconds },
                },
              },
            ]
          : []),
        { Update: update },
      ];
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: items as never }));
        return;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const reason = err.CancellationReasons?.[items.length - 1];
        if (reason?.Code === 'ConditionalCheckFailed') {
          const old = reason.Item ? unmarshall(reason.Item as Record<string, AttributeValue>) : undefined;
          throw new DraftVersionError(old && live(old, now) ? Number(old.version) : null);
        }
        // the slot was taken or contended: read the slots again
      }
      await new Promise((r) => setTimeout(r, Math.random() * 20));
    }
    throw new DraftLimitError();
  }

  /** Slots not held by a live draft; one already naming this draft first, the rest shuffled. */
  private async freeSlots(
    sub: string,
    draftSk: string,
    now: Date,
    maxDrafts: number,
  ): Promise<Array<{ n: number; heldBy?: string }>> {
    const [slots, drafts] = await Promise.all([
      queryAll(this.doc, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :slot)',
        ExpressionAttributeValues: { ':pk': keys.ownerPk(sub), ':slot': keys.draftSlotPrefix },
        ConsistentRead: true,
      }),
      queryAll(this.doc, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :draft)',
        ExpressionAttributeValues: { ':pk': keys.ownerPk(sub), ':draft': keys.draftPrefix },
        ProjectionExpression: 'sk, expiresAt',
        ConsistentRead: true,
      }),
    ]);
    const liveDrafts = new Set(drafts.filter((d) => live(d, now)).map((d) => String(d.sk)));
    const held = new Map(slots.map((s) => [Number(s.slot), String(s.draftSk)]));
    const free: Array<{ n: number; heldBy?: string }> = [];
    for (let n = 0; n < maxDrafts; n++) {
      const heldBy = held.get(n);
      if (heldBy === undefined) free.push({ n });
      else if (!liveDrafts.has(heldBy)) free.push({ n, heldBy });
    }
    for (let i = free.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [free[i], free[j]] = [free[j] as (typeof free)[number], free[i] as (typeof free)[number]];
    }
    const mine = free.findIndex((s) => s.heldBy === draftSk);
    if (mine > 0) free.unshift(...free.splice(mine, 1));
    return free;
  }

  /** Deletes a draft; true when there was one. */
  async delete(sub: string, service: string, id: string): Promise<boolean> {
    const res = await this.doc.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keys.draft(sub, service, id),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return !!res.Attributes;
  }
}

function live(item: Item, now: Date): boolean {
  return Number(item.expiresAt ?? 0) * 1000 > now.getTime();
}

function summary(item: Item): DraftSummary {
  return {
    id: String(item.draftId),
    service: String(item.service),
    section: String(item.section ?? ''),
    version: Number(item.version),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    expiresAt: new Date(Number(item.expiresAt) * 1000).toISOString(),
  };
}
