/**
 * RehabStore on the single table: document records, aid plans, per-child-per-year budgets,
 * service claims, monthly settlements and aid standards. Every change that belongs together is
 * ONE TransactWriteItems with conditions: a claim approval moves the claim filed → approved,
 * raises the child's budget only while `approvedTotalFen <= yearlyCap - amount` (and the same
 * for the service month), books the amount into the institution's open settlement of the month
 * and appends the audit event: all or nothing, so concurrent approvals can never pass a cap.
 * Transaction conflicts between concurrent writers are retried here with jittered backoff.
 */
import { type AttributeValue, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { historyItems } from '#adapters/dynamodb/history';
import { keys } from '#adapters/dynamodb/keys';
import { publishVersionItems } from '#adapters/dynamodb/versioned';
import type { PendingEvent } from '#core/engine/types';
import { InvalidStateError, NotFoundError, VersionConflictError } from '#core/errors';
import { t } from '#core/i18n';
import { REHAB_SERVICE_ID } from '#services/rehab-aid/definition';
import {
  CapExceededError,
  ItemCapExceededError,
  RehabConflictError,
  TooManyDocumentsError,
} from '#services/rehab-aid/errors';
import type { BudgetChange, ClaimApproval, RehabStore } from '#services/rehab-aid/ports';
import {
  type AidStandard,
  INSTITUTION_ORG_TYPE,
  type InstitutionRecord,
} from '#services/rehab-aid/reference';
import type {
  AidPlan,
  ChildBudget,
  ClaimStatus,
  RehabDocument,
  RehabEvent,
  ServiceClaim,
  Settlement,
} from '#services/rehab-aid/types';
import { queryAll } from '../../adapters/dynamodb/application-repository.ts';
import { rehabKeys } from './keys.ts';

type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Reason = NonNullable<TransactionCanceledException['CancellationReasons']>[number];
/** What a failed condition at one index of a transaction means; undefined: retry. */
type FailureMap = (index: number, reason: Reason) => Promise<Error | undefined> | Error | undefined;

/** Concurrent writers of one history (its counter) or of one budget each win in turn: n writers need n rounds. */
const MAX_ATTEMPTS = 60;
/** Marks an event placeholder among a transaction's items. */
const EVENT = Symbol('event');
const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'duePk', 'dueSk', 'type'];

/**
 * A one-off item's approval is a top-level attribute of the budget, `item#<id>` (a budget written
 * before items existed has no map to set into, and one conditional attribute is what holds
 * "once a year"); read back as `items`.
 */
const ITEM_ATTRIBUTE = 'item#';

function budgetOf(item: Item | undefined): ChildBudget | null {
  const budget = strip<ChildBudget & Item>(item);
  if (!budget) return null;
  const items: Record<string, number> = {};
  for (const [k, v] of Object.entries(budget)) {
    if (!k.startsWith(ITEM_ATTRIBUTE)) continue;
    items[k.slice(ITEM_ATTRIBUTE.length)] = Number(v);
    delete budget[k];
  }
  return { ...budget, items };
}

function strip<T>(item: Item | undefined): T | null {
  if (!item) return null;
  const out: Item = { ...item };
  for (const k of KEY_ATTRIBUTES) delete out[k];
  return out as T;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class DynamoRehabStore implements RehabStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // ── documents ────────────────────────────────────────────────────────────────────────────

  async createDocument(
    doc: RehabDocument,
    event: PendingEvent,
    limit: { max: number; held: number },
  ): Promise<void> {
    await this.transact(
      () => [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...rehabKeys.document(doc.appId, doc.documentId), type: 'rehab-document', ...doc },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        this.eventPut(event),
        // the limit, kept by this write: concurrent requests cannot all pass a count read before
        {
          Update: {
            TableName: this.tableName,
            Key: rehabKeys.documentCount(doc.appId),
            UpdateExpression: 'SET held = if_not_exists(held, :held) + :one',
            ConditionExpression: 'attribute_not_exists(held) OR held < :max',
            ExpressionAttributeValues: { ':held': limit.held, ':one': 1, ':max': limit.max },
          },
        },
      ],
      (index) =>
        index === 0
          ? new VersionConflictError()
          : index === 2
            ? new TooManyDocumentsError(limit.max)
            : undefined,
    );
  }

  async getDocument(appId: string, documentId: string): Promise<RehabDocument | null> {
    return strip<RehabDocument>(await this.get(rehabKeys.document(appId, documentId)));
  }

  async listDocuments(appId: string): Promise<RehabDocument[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.appPk(appId), ':prefix': rehabKeys.documentPrefix },
    });
    return items.map((i) => strip<RehabDocument>(i) as RehabDocument);
  }

  async finishDocument(doc: RehabDocument, event: PendingEvent): Promise<void> {
    await this.transact(
      () => [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...rehabKeys.document(doc.appId, doc.documentId), type: 'rehab-document', ...doc },
            ConditionExpression: '#status = :awaiting',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':awaiting': 'awaiting-upload' },
          },
        },
        this.eventPut(event),
        // a refused document gives its place back
        ...(doc.status === 'refused'
          ? [
              {
                Update: {
                  TableName: this.tableName,
                  Key: rehabKeys.documentCount(doc.appId),
                  UpdateExpression: 'SET held = if_not_exists(held, :one) - :one',
                  ExpressionAttributeValues: { ':one': 1 },
                },
              },
            ]
          : []),
      ],
      (index) =>
        index === 0
          ? new InvalidStateError(t('该材料已处理', 'This document has been processed already'))
          : undefined,
    );
  }

  async purgeDocuments(appId: string, docs: RehabDocument[], event: RehabEvent): Promise<void> {
    await this.transact(
      () => [
        ...docs.map((doc) => ({
          Put: {
            TableName: this.tableName,
            Item: { ...rehabKeys.document(appId, doc.documentId), type: 'rehab-document', ...doc },
            ConditionExpression: '#status <> :purged',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':purged': 'purged' },
          },
        })),
        this.eventPut(event),
      ],
      (index) =>
        index < docs.length
          ? new InvalidStateError(t('该材料已按保存期限删除', 'This document was deleted already'))
          : undefined,
    );
  }

  async closedApplications(
    status: string,
    after: string | undefined,
    before: string,
    limit: number,
  ): Promise<Array<{ appId: string; sortKey: string }>> {
    // the clock moved back behind the progress mark: nothing can be newly due
    if (after && after >= before) return [];
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.appStatusIndex(REHAB_SERVICE_ID, status, '', '').gsi1pk,
        // `after` is exclusive: the smallest key above it is after + '\0'
        ':from': after ? `${after}\u0000` : ' ',
        ':to': before,
      },
      ProjectionExpression: 'gsi1sk',
      Limit: limit,
    });
    return items
      .map((i) => String(i.gsi1sk))
      .filter((k) => k < before)
      .map((sortKey) => ({ appId: sortKey.slice(sortKey.lastIndexOf('#') + 1), sortKey }));
  }

  async retentionMark(status: string): Promise<string | undefined> {
    const res = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.retentionMark(REHAB_SERVICE_ID, status),
        ConsistentRead: true,
      }),
    );
    return res.Item ? String(res.Item.through) : undefined;
  }

  async setRetentionMark(status: string, sortKey: string): Promise<void> {
    await this.doc
      .send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.retentionMark(REHAB_SERVICE_ID, status), type: 'retention-mark', through: sortKey },
          // never move backwards (two overlapping runs)
          ConditionExpression: 'attribute_not_exists(through) OR through < :k',
          ExpressionAttributeValues: { ':k': sortKey },
        }),
      )
      .catch((err: Error) => {
        if (err.name !== 'ConditionalCheckFailedException') throw err;
      });
  }

  async appendEvent(event: PendingEvent): Promise<void> {
    await this.transact(
      () => [this.eventPut(event)],
      () => undefined,
    );
  }

  // ── standards ────────────────────────────────────────────────────────────────────────────

  async currentStandard(year: number): Promise<AidStandard | null> {
    return strip<AidStandard>(await this.get(rehabKeys.standardCurrent(year)));
  }

  async standardVersion(year: number, version: number): Promise<AidStandard | null> {
    return strip<AidStandard>(await this.get(rehabKeys.standard(year, version)));
  }

  async publishStandard(next: AidStandard, previousVersion: number, seed?: AidStandard): Promise<void> {
    const items = publishVersionItems(
      this.tableName,
      { current: rehabKeys.standardCurrent, version: rehabKeys.standard },
      'rehab-standard',
      next,
      previousVersion,
      seed,
    );
    await this.transact(
      () => items,
      () =>
        new RehabConflictError(
          'STANDARD_CHANGED',
          t(
            '救助标准刚被他人更新，请刷新后重试',
            'The aid standard was just changed by someone else; reload and retry',
          ),
        ),
    );
  }

  // ── designated institutions ──────────────────────────────────────────────────────────────

  async getInstitution(id: string): Promise<InstitutionRecord | null> {
    const item = await this.get(keys.org(id));
    return item?.orgType === INSTITUTION_ORG_TYPE ? (item.institution as InstitutionRecord) : null;
  }

  async listInstitutions(): Promise<InstitutionRecord[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.orgsPk(INSTITUTION_ORG_TYPE) },
    });
    return items.map((i) => i.institution as InstitutionRecord);
  }

  async putInstitution(record: InstitutionRecord): Promise<void> {
    const previous = record.version - 1;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.org(record.id),
            ...keys.orgIndex(INSTITUTION_ORG_TYPE, record.township, record.id),
            type: 'org',
            orgType: INSTITUTION_ORG_TYPE,
            institution: record,
            version: record.version,
            updatedAt: record.updatedAt,
            updatedBy: record.updatedBy,
          },
          ...(previous === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'orgType = :type AND #version = :previous',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':type': INSTITUTION_ORG_TYPE, ':previous': previous },
              }),
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...rehabKeys.institutionVersion(record.id, record.version),
            type: 'rehab-institution-version',
            ...record,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    await this.transact(
      () => items,
      () =>
        new RehabConflictError(
          'INSTITUTION_CHANGED',
          t(
            '该机构刚被他人修改（或编号已被其他机构使用），请刷新后重试',
            'The institution was just changed by someone else (or its id is taken); reload and retry',
          ),
        ),
    );
  }

  async institutionHistory(id: string): Promise<InstitutionRecord[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': rehabKeys.institutionHistoryPk(id) },
      ConsistentRead: true,
    });
    return items.map((i) => {
      const { type: _type, ...record } = strip<Item>(i) as Item;
      return record as unknown as InstitutionRecord;
    });
  }

  // ── plans and budgets ────────────────────────────────────────────────────────────────────

  async getPlan(planId: string): Promise<AidPlan | null> {
    return strip<AidPlan>(await this.get(rehabKeys.plan(planId)));
  }

  async getBudget(childKey: string, year: number): Promise<ChildBudget | null> {
    return budgetOf(await this.get(rehabKeys.budget(childKey, year)));
  }

  async createPlan(
    plan: AidPlan,
    budget: BudgetChange,
    events: RehabEvent[],
    supersede?: AidPlan,
  ): Promise<void> {
    const build = (): TransactItem[] => {
      const items: TransactItem[] = [
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...rehabKeys.plan(plan.planId),
              ...rehabKeys.plansIndex(plan.institution, plan.year, plan.planId),
              type: 'rehab-plan',
              ...plan,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        budget.type === 'create'
          ? {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...rehabKeys.budget(budget.budget.childKey, budget.budget.year),
                  type: 'rehab-budget',
                  ...budget.budget,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            }
          : {
              Update: {
                TableName: this.tableName,
                Key: rehabKeys.budget(budget.childKey, budget.year),
                UpdateExpression: 'SET activePlanId = :to, updatedAt = :at',
                ConditionExpression: 'activePlanId = :from',
                ExpressionAttributeValues: {
                  ':to': plan.planId,
                  ':from': budget.fromPlanId,
                  ':at': plan.createdAt,
                },
              },
            },
      ];
      if (supersede) {
        items.push({
          Update: {
            TableName: this.tableName,
            Key: rehabKeys.plan(supersede.planId),
            UpdateExpression: 'SET #status = :superseded, supersededBy = :by, updatedAt = :at',
            ConditionExpression: '#status = :active',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':superseded': 'superseded',
              ':active': 'active',
              ':by': plan.planId,
              ':at': plan.createdAt,
            },
          },
        });
      }
      for (const e of events) items.push(this.eventPut(e));
      return items;
    };
    const changed = () =>
      new RehabConflictError(
        'PLAN_CHANGED',
        t('该儿童的救助方案刚被更改，请刷新后重试', "The child's aid plan just changed; reload and retry"),
      );
    await this.transact(build, (index) => {
      if (index === 0) {
        return new RehabConflictError(
          'PLAN_EXISTS',
          t('已选择康复机构', 'The institution is chosen already'),
        );
      }
      if (index === 1 && budget.type === 'create') {
        return new RehabConflictError(
          'PLAN_EXISTS_FOR_YEAR',
          t(
            '该儿童本年度已有救助方案；变更机构请提交“变更机构”申请',
            'The child has an aid plan for this year already; apply for a change of institution instead',
          ),
        );
      }
      if (index === 1 || (index === 2 && supersede)) return changed();
      return undefined;
    });
  }

  async listPlansByInstitution(institution: string): Promise<AidPlan[]> {
    const items = await this.query({
      IndexName: 'GSI1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': rehabKeys.plansPk(institution) },
      ScanIndexForward: false,
    });
    return items.map((i) => strip<AidPlan>(i) as AidPlan);
  }

  // ── claims ───────────────────────────────────────────────────────────────────────────────

  async fileClaim(claim: ServiceClaim, event: RehabEvent): Promise<void> {
    await this.transact(
      () => [
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...rehabKeys.claim(claim.planId, claim.claimId),
              ...rehabKeys.claimQueue(claim.status, claim.filedAt, claim.claimId),
              type: 'rehab-claim',
              ...claim,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        this.eventPut(event),
      ],
      (index) => (index === 0 ? new VersionConflictError() : undefined),
    );
  }

  async getClaim(planId: string, claimId: string): Promise<ServiceClaim | null> {
    return strip<ServiceClaim>(await this.get(rehabKeys.claim(planId, claimId)));
  }

  async listClaimsOfPlan(planId: string): Promise<ServiceClaim[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.appPk(planId), ':prefix': rehabKeys.claimPrefix },
    });
    return items.map((i) => strip<ServiceClaim>(i) as ServiceClaim);
  }

  async listClaimsByStatus(status: ClaimStatus, limit = 200): Promise<ServiceClaim[]> {
    const items = await this.query({
      IndexName: 'GSI1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': rehabKeys.claimQueuePk(status) },
      Limit: limit,
    });
    return items.map((i) => strip<ServiceClaim>(i) as ServiceClaim);
  }

  async approveClaim(a: ClaimApproval): Promise<void> {
    const { claim, approvedFen, caps } = a;
    const yearlyLimit = caps.yearlyCapFen - approvedFen;
    const monthlyLimit = caps.monthlyCapFen - approvedFen;
    const budgetKey = rehabKeys.budget(a.childKey, a.year);
    if (a.item) {
      if (approvedFen > a.item.capFen)
        throw new ItemCapExceededError(a.item.id, a.item.capFen, 0, approvedFen);
    } else {
      if (yearlyLimit < 0) throw new CapExceededError('yearly', caps.yearlyCapFen, 0, approvedFen);
      if (monthlyLimit < 0) throw new CapExceededError('monthly', caps.monthlyCapFen, 0, approvedFen);
    }
    const budgetUpdate = a.item
      ? {
          // once per child and year: the item's attribute must not exist yet
          TableName: this.tableName,
          Key: budgetKey,
          UpdateExpression: 'SET #item = :fen, updatedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#item)',
          ExpressionAttributeNames: { '#item': `${ITEM_ATTRIBUTE}${a.item.id}` },
          ExpressionAttributeValues: { ':fen': approvedFen, ':at': a.at },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        }
      : undefined;
    const build = (): TransactItem[] => [
      {
        Update: {
          TableName: this.tableName,
          Key: rehabKeys.claim(claim.planId, claim.claimId),
          UpdateExpression:
            'SET #status = :approved, approvedFen = :fen, settlementMonth = :sm, decidedAt = :at, decidedBy = :by, gsi1pk = :q, gsi2pk = :stmt, gsi2sk = :claimId',
          ConditionExpression: '#status = :filed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':approved': 'approved',
            ':filed': 'filed',
            ':fen': approvedFen,
            ':sm': a.settlementMonth,
            ':at': a.at,
            ':by': a.by,
            ':q': rehabKeys.claimQueuePk('approved'),
            ':stmt': rehabKeys.statementPk(claim.institution, a.settlementMonth),
            ':claimId': claim.claimId,
          },
        },
      },
      {
        // The cap check and the increment are one conditional update: the store holds the caps.
        Update: budgetUpdate ?? {
          TableName: this.tableName,
          Key: budgetKey,
          UpdateExpression:
            'SET approvedTotalFen = approvedTotalFen + :fen, #months.#m = if_not_exists(#months.#m, :zero) + :fen, updatedAt = :at',
          ConditionExpression:
            'yearlyCapFen = :ycap AND monthlyCapFen = :mcap AND approvedTotalFen <= :ylimit AND (attribute_not_exists(#months.#m) OR #months.#m <= :mlimit)',
          ExpressionAttributeNames: { '#months': 'months', '#m': claim.month },
          ExpressionAttributeValues: {
            ':fen': approvedFen,
            ':zero': 0,
            ':at': a.at,
            ':ycap': caps.yearlyCapFen,
            ':mcap': caps.monthlyCapFen,
            ':ylimit': yearlyLimit,
            ':mlimit': monthlyLimit,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: rehabKeys.settlement(claim.institution, a.settlementMonth),
          UpdateExpression:
            'SET #status = if_not_exists(#status, :open), institution = :inst, #month = :sm, gsi1pk = :g1, gsi1sk = :inst, #type = :type ADD totalFen :fen, claimCount :one',
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :open',
          ExpressionAttributeNames: { '#status': 'status', '#month': 'month', '#type': 'type' },
          ExpressionAttributeValues: {
            ':open': 'open',
            ':inst': claim.institution,
            ':sm': a.settlementMonth,
            ':g1': rehabKeys.settlementsPk(a.settlementMonth),
            ':type': 'rehab-settlement',
            ':fen': approvedFen,
            ':one': 1,
          },
        },
      },
      this.eventPut(a.event),
    ];
    await this.transact(build, async (index, reason) => {
      if (index === 0) {
        return new RehabConflictError(
          'CLAIM_DECIDED',
          t('该申报已审核', 'This claim has been decided already'),
        );
      }
      if (index === 1 && a.item) {
        const old = budgetOf(reason.Item ? plain(reason.Item) : await this.get(budgetKey));
        if (!old)
          return new InvalidStateError(
            t('该儿童本年度没有救助额度', 'No aid budget for this child and year'),
          );
        return new ItemCapExceededError(a.item.id, a.item.capFen, old.items?.[a.item.id] ?? 0, approvedFen);
      }
      if (index === 1) return this.capFailure(budgetKey, reason, claim.month, approvedFen, caps);
      if (index === 2) {
        return new RehabConflictError(
          'SETTLEMENT_CLOSED',
          t('本月结算已关闭，请下月再审核', "This month's settlement is closed; approve next month"),
        );
      }
      return undefined;
    });
  }

  /** Which cap a failed budget condition hit, from the item as it was (or as it is now). */
  private async capFailure(
    budgetKey: { pk: string; sk: string },
    reason: Reason,
    month: string,
    approvedFen: number,
    caps: { monthlyCapFen: number; yearlyCapFen: number },
  ): Promise<Error | undefined> {
    const old = reason.Item ? plain(reason.Item) : await this.get(budgetKey);
    if (!old)
      return new InvalidStateError(t('该儿童本年度没有救助额度', 'No aid budget for this child and year'));
    const budget = budgetOf(old) as ChildBudget;
    if (budget.yearlyCapFen !== caps.yearlyCapFen || budget.monthlyCapFen !== caps.monthlyCapFen) {
      return new VersionConflictError();
    }
    if (budget.approvedTotalFen + approvedFen > budget.yearlyCapFen) {
      return new CapExceededError('yearly', budget.yearlyCapFen, budget.approvedTotalFen, approvedFen);
    }
    const inMonth = budget.months?.[month] ?? 0;
    if (inMonth + approvedFen > budget.monthlyCapFen) {
      return new CapExceededError('monthly', budget.monthlyCapFen, inMonth, approvedFen);
    }
    return undefined;
  }

  async rejectClaim(claim: ServiceClaim, event: RehabEvent): Promise<void> {
    await this.transact(
      () => [
        {
          Update: {
            TableName: this.tableName,
            Key: rehabKeys.claim(claim.planId, claim.claimId),
            UpdateExpression:
              'SET #status = :rejected, reason = :reason, decidedAt = :at, decidedBy = :by, gsi1pk = :q',
            ConditionExpression: '#status = :filed',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':rejected': 'rejected',
              ':filed': 'filed',
              ':reason': claim.reason,
              ':at': claim.decidedAt,
              ':by': claim.decidedBy,
              ':q': rehabKeys.claimQueuePk('rejected'),
            },
          },
        },
        this.eventPut(event),
      ],
      (index) =>
        index === 0
          ? new RehabConflictError('CLAIM_DECIDED', t('该申报已审核', 'This claim has been decided already'))
          : undefined,
    );
  }

  // ── settlements ──────────────────────────────────────────────────────────────────────────

  async getSettlement(institution: string, month: string): Promise<Settlement | null> {
    return strip<Settlement>(await this.get(rehabKeys.settlement(institution, month)));
  }

  async listSettlements(month: string): Promise<Settlement[]> {
    const items = await this.query({
      IndexName: 'GSI1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': rehabKeys.settlementsPk(month) },
    });
    return items.map((i) => strip<Settlement>(i) as Settlement);
  }

  async listSettledClaims(institution: string, month: string): Promise<ServiceClaim[]> {
    const items = await this.query({
      IndexName: 'GSI2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': rehabKeys.statementPk(institution, month) },
    });
    return items.map((i) => strip<ServiceClaim>(i) as ServiceClaim);
  }

  async advanceSettlement(
    institution: string,
    month: string,
    from: 'open' | 'closed',
    patch: Partial<Settlement>,
  ): Promise<Settlement> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':from': from };
    const sets = Object.entries(patch).map(([k, v], i) => {
      names[`#f${i}`] = k;
      values[`:v${i}`] = v;
      return `#f${i} = :v${i}`;
    });
    try {
      const res = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: rehabKeys.settlement(institution, month),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(pk) AND #status = :from',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return strip<Settlement>(res.Attributes) as Settlement;
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
      const current = await this.getSettlement(institution, month);
      if (!current) throw new NotFoundError(t('该月没有结算记录', 'No settlement for this month'));
      throw new RehabConflictError(
        'SETTLEMENT_STATUS',
        t(`该结算当前状态为「${current.status}」`, `The settlement is ${current.status}`),
      );
    }
  }

  // ── plumbing ─────────────────────────────────────────────────────────────────────────────

  /**
   * Rehab events share the application's event history: a placeholder here, numbered by the
   * kernel's history toolkit when the transaction is built (see transact).
   */
  private eventPut(event: PendingEvent): TransactItem {
    return { [EVENT]: event } as unknown as TransactItem;
  }

  /**
   * Runs a transaction built afresh on each attempt. A failed condition that `failure` explains
   * is a domain error at once; transaction conflicts (concurrent writers of the same items) and
   * event-key collisions are retried with jittered backoff.
   */
  private async transact(build: () => TransactItem[], failure: FailureMap): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: await this.numbered(build()) }));
        return;
      } catch (err) {
        if (err instanceof TransactionCanceledException) {
          const reasons = err.CancellationReasons ?? [];
          for (const [index, reason] of reasons.entries()) {
            if (reason.Code !== 'ConditionalCheckFailed') continue;
            const mapped = await failure(index, reason);
            if (mapped) throw mapped;
          }
          const retryable = reasons.every((r) =>
            ['None', 'ConditionalCheckFailed', 'TransactionConflict', undefined].includes(r.Code),
          );
          if (!retryable) throw err;
        } else if (!isConflict(err)) {
          throw err;
        }
        if (attempt >= MAX_ATTEMPTS) throw new VersionConflictError();
        // Each lost round has one winner, so the losers try again soon: a short, growing jitter
        // (a long exponential backoff made 20 writers of one history wait for seconds).
        await sleep(Math.random() * Math.min(120, 10 * attempt));
      }
    }
  }

  /**
   * Replaces event placeholders by their puts, numbered in their application's history, and
   * appends the applications' counter updates (after every other item, so the failure maps'
   * indices stay those of the items they build; a lost race on a counter is retried).
   */
  private async numbered(items: TransactItem[]): Promise<TransactItem[]> {
    const events = items.flatMap((i) =>
      EVENT in i ? [(i as unknown as Record<symbol, RehabEvent>)[EVENT] as RehabEvent] : [],
    );
    if (events.length === 0) return items;
    const { counters, puts } = await historyItems(this.doc, this.tableName, events);
    let next = 0;
    return [...items.map((i) => (EVENT in i ? (puts[next++] as TransactItem) : i)), ...counters];
  }

  private async get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return res.Item;
  }

  private query(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    return queryAll(this.doc, { ...input, TableName: this.tableName });
  }
}

/** The item a failed condition returned, as plain values (the document client leaves errors marshalled). */
function plain(item: Record<string, unknown>): Item {
  const marshalled = Object.values(item).every(
    (v) =>
      v !== null &&
      typeof v === 'object' &&
      Object.keys(v).length === 1 &&
      /^(S|N|B|SS|NS|BS|M|L|NULL|BOOL)$/.test(Object.keys(v)[0] ?? ''),
  );
  return marshalled ? (unmarshall(item as Record<string, AttributeValue>) as Item) : item;
}

function isConflict(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === 'TransactionConflictException' || name === 'TransactionInProgressException';
}
