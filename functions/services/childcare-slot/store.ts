/**
 * The nursery register on the single table: nurseries (ORG#<id>/A, listed by GSI1 ORGS#nursery)
 * and their intakes (ORG#<id>/INTAKE#<term>#<class>, listed by GSI1 INTAKES#childcare-slot#<term>).
 * An intake item is also the engine's capacity pool: applications change its counters inside
 * their own transactions (application-repository.ts); here it is created, resized and read.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { BadRequestError } from '#core/errors';
import { t } from '#core/i18n';
import { type ClassId, intakePool } from '#services/childcare-slot/classes';
import type { IntakeRecord } from '#services/childcare-slot/figures';
import type { Nursery } from '#services/childcare-slot/nurseries';
import { CHILDCARE_SERVICE, type NewIntake, type NurseryRepository } from '#services/childcare-slot/service';
import { queryAll, sendTransaction } from '../../adapters/dynamodb/application-repository.ts';
import { keys } from '../../adapters/dynamodb/keys.ts';

type Item = Record<string, unknown>;
const ORG_TYPE = 'nursery';

export class DynamoNurseryRepository implements NurseryRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // biome-ignore lint/suspicious/noExplicitAny: any DynamoDB document command
  private send<T = any>(command: any): Promise<T> {
    return this.doc.send(command) as Promise<T>;
  }

  async putNursery(nursery: Nursery, at: string, by: string): Promise<void> {
    await this.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.org(nursery.id),
          ...keys.orgIndex(ORG_TYPE, nursery.township, nursery.id),
          type: 'org',
          orgType: ORG_TYPE,
          nursery,
          updatedAt: at,
          updatedBy: by,
        },
      }),
    );
  }

  async getNursery(id: string): Promise<Nursery | null> {
    const res = await this.send(new GetCommand({ TableName: this.tableName, Key: keys.org(id) }));
    return (res.Item?.nursery as Nursery | undefined) ?? null;
  }

  async listNurseries(): Promise<Nursery[]> {
    const items = await this.query({
      IndexName: 'GSI1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.orgsPk(ORG_TYPE) },
    });
    return items.map((i) => i.nursery as Nursery);
  }

  async createIntake(intake: NewIntake, at: string): Promise<'created' | 'exists'> {
    const pool = intakePool(intake.term, intake.classId);
    const round =
      intake.mode === 'round' ? { id: intake.term, deadline: intake.roundDeadline as string } : undefined;
    const items: Array<Record<string, unknown>> = [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.intake(intake.nurseryId, pool),
            ...keys.intakeIndex(CHILDCARE_SERVICE, intake.term, intake.nurseryId, pool),
            type: 'intake',
            org: intake.nurseryId,
            pool,
            term: intake.term,
            classId: intake.classId,
            mode: intake.mode,
            capacity: intake.capacity,
            taken: 0,
            waiting: 0,
            settled: 0,
            ...(round ? { round } : {}),
            data: intake.data,
            createdAt: at,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (round) {
      // All round-mode intakes of a term are drawn together, by the term's one round.
      items.push({
        Update: {
          TableName: this.tableName,
          Key: keys.round(CHILDCARE_SERVICE, round.id),
          UpdateExpression:
            'SET #service = :service, #id = :id, deadline = :deadline, #status = if_not_exists(#status, :open), duePk = :duePk, dueSk = :dueSk ADD poolKeys :pool',
          ConditionExpression: 'attribute_not_exists(pk) OR (deadline = :deadline AND #status = :open)',
          ExpressionAttributeNames: { '#status': 'status', '#service': 'service', '#id': 'id' },
          ExpressionAttributeValues: {
            ':service': CHILDCARE_SERVICE,
            ':id': round.id,
            ':deadline': round.deadline,
            ':open': 'open',
            ':pool': new Set([`${intake.nurseryId}#${pool}`]),
            ...prefixed(keys.roundDue(round.deadline, CHILDCARE_SERVICE, round.id)),
          },
        },
      });
    }
    try {
      await sendTransaction(this.doc, items);
      return 'created';
    } catch (err) {
      if (err instanceof TransactionCanceledException) {
        const codes = err.CancellationReasons?.map((r) => r.Code) ?? [];
        if (codes[0] === 'ConditionalCheckFailed') return 'exists';
        if (codes[1] === 'ConditionalCheckFailed') {
          const existing = await this.send(
            new GetCommand({
              TableName: this.tableName,
              Key: keys.round(CHILDCARE_SERVICE, round?.id ?? ''),
            }),
          );
          throw new BadRequestError(
            'ROUND_MISMATCH',
            t(
              `${intake.term} 学期的批次截止时间为 ${existing.Item?.deadline}（状态 ${existing.Item?.status}），新的批次招生须与之一致且尚未分配`,
              `The ${intake.term} round closes at ${existing.Item?.deadline} (status ${existing.Item?.status}); a round intake must share that deadline and join before the draw`,
            ),
          );
        }
      }
      throw err;
    }
  }

  async setCapacity(nurseryId: string, term: string, classId: ClassId, capacity: number, at: string) {
    const pool = intakePool(term, classId);
    try {
      // Flag the pool: if places were added, the sweeper offers them to the waitlist.
      await this.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.intake(nurseryId, pool),
          UpdateExpression: 'SET #capacity = :capacity, duePk = :duePk, dueSk = :dueSk, updatedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND taken <= :capacity',
          ExpressionAttributeNames: { '#capacity': 'capacity' },
          ExpressionAttributeValues: {
            ':capacity': capacity,
            ':at': at,
            ...prefixed(keys.poolDue(at, nurseryId, pool)),
          },
        }),
      );
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
      const current = await this.getIntake(nurseryId, term, classId);
      throw new BadRequestError(
        'CAPACITY_BELOW_TAKEN',
        t(
          `名额不能少于已录取和已入托的 ${current?.taken ?? 0} 个`,
          `The capacity cannot be below the ${current?.taken ?? 0} places already offered or filled`,
        ),
      );
    }
  }

  async getIntake(nurseryId: string, term: string, classId: ClassId): Promise<IntakeRecord | null> {
    const res = await this.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.intake(nurseryId, intakePool(term, classId)),
        ConsistentRead: true,
      }),
    );
    return res.Item ? intakeFromItem(res.Item) : null;
  }

  async listIntakes(term: string): Promise<IntakeRecord[]> {
    const items = await this.query({
      IndexName: 'GSI1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.intakesPk(CHILDCARE_SERVICE, term) },
    });
    return items.map(intakeFromItem);
  }

  private query(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    return queryAll(this.doc, { ...input, TableName: this.tableName });
  }
}

function prefixed(attrs: { duePk: string; dueSk: string }) {
  return { ':duePk': attrs.duePk, ':dueSk': attrs.dueSk };
}

function intakeFromItem(item: Item): IntakeRecord {
  const round = item.round as { deadline?: string; allocatedAt?: string } | undefined;
  return {
    nurseryId: String(item.org),
    term: String(item.term),
    classId: item.classId as ClassId,
    capacity: Number(item.capacity ?? 0),
    taken: Number(item.taken ?? 0),
    waiting: Number(item.waiting ?? 0),
    settled: Number(item.settled ?? 0),
    mode: (item.mode as IntakeRecord['mode']) ?? 'rolling',
    roundDeadline: round?.deadline,
    allocatedAt: round?.allocatedAt,
  };
}
