/**
 * The records of case documents (core/case-documents.ts) in the case's partition, for any module:
 * each write and its event in the case history (numbered by history.ts) in one transaction; the
 * number of documents a case holds kept under its limit by a conditional counter in the same
 * transaction as each new record, so concurrent uploads cannot pass it.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type CaseDocument, type CaseDocumentStore, TooManyDocumentsError } from '#core/case-documents';
import type { PendingEvent } from '#core/engine/types';
import { InvalidStateError, VersionConflictError } from '#core/errors';
import { t } from '#core/i18n';
import { historyItems } from './history.ts';
import { keys } from './keys.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
const MAX_ATTEMPTS = 8;

export class DynamoCaseDocumentStore implements CaseDocumentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(doc: CaseDocument, event: PendingEvent, max: number): Promise<void> {
    await this.transact(
      [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.caseDocument(doc.appId, doc.documentId), type: 'case-document', document: doc },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: keys.caseDocumentCount(doc.appId),
            UpdateExpression: 'SET held = if_not_exists(held, :zero) + :one',
            ConditionExpression: 'attribute_not_exists(held) OR held < :max',
            ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':max': max },
          },
        },
      ],
      [event],
      (index) => (index === 1 ? new TooManyDocumentsError(max) : new VersionConflictError()),
    );
  }

  async finish(doc: CaseDocument, event: PendingEvent): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.caseDocument(doc.appId, doc.documentId), type: 'case-document', document: doc },
          ConditionExpression: '#d.#s = :awaiting',
          ExpressionAttributeNames: { '#d': 'document', '#s': 'status' },
          ExpressionAttributeValues: { ':awaiting': 'awaiting-upload' },
        },
      },
    ];
    // a refused file gives its place back
    if (doc.status === 'refused') {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: keys.caseDocumentCount(doc.appId),
          UpdateExpression: 'SET held = held - :one',
          ConditionExpression: 'held > :zero',
          ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
        },
      });
    }
    await this.transact(
      items,
      [event],
      () => new InvalidStateError(t('该材料已处理', 'This document has been processed already')),
    );
  }

  async list(appId: string): Promise<CaseDocument[]> {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': keys.appPk(appId), ':p': keys.caseDocumentPrefix },
        ConsistentRead: true,
      }),
    );
    return (res.Items ?? []).map((i) => i.document as CaseDocument);
  }

  async get(appId: string, documentId: string): Promise<CaseDocument | null> {
    const res = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.caseDocument(appId, documentId),
        ConsistentRead: true,
      }),
    );
    return (res.Item?.document as CaseDocument | undefined) ?? null;
  }

  async appendEvent(event: PendingEvent): Promise<void> {
    await this.transact([], [event], () => new VersionConflictError());
  }

  private async transact(own: TransactItem[], events: PendingEvent[], failure: (index: number) => Error) {
    for (let attempt = 1; ; attempt++) {
      const history = await historyItems(this.doc, this.tableName, events);
      try {
        await this.doc.send(
          new TransactWriteCommand({ TransactItems: [...own, ...history.puts, ...history.counters] }),
        );
        return;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const reasons = err.CancellationReasons ?? [];
        const failed = reasons.findIndex((r, i) => r.Code === 'ConditionalCheckFailed' && i < own.length);
        if (failed >= 0) throw failure(failed);
        const retryable = reasons.every((r) =>
          ['None', 'ConditionalCheckFailed', 'TransactionConflict', undefined].includes(r.Code),
        );
        if (!retryable) throw err;
        if (attempt >= MAX_ATTEMPTS) throw new VersionConflictError();
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(120, 10 * attempt)));
      }
    }
  }
}
