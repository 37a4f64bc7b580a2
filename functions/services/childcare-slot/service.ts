/**
 * Use cases of the nursery register (health bureau and admins): register nurseries and their
 * intakes (capacity and allocation mode per term and class), list them for parents, seed the
 * demo register, and the figures for auditors. Applications themselves go through the engine
 * (ApplicationService); this module only owns the places they compete for.
 */

import {
  type ClassId,
  classIds,
  className,
  TERM_PATTERN,
  termStart,
  upcomingTerms,
} from '#services/childcare-slot/classes';
import { type ChildcareFigures, childcareFigures, type IntakeRecord } from '#services/childcare-slot/figures';
import {
  type IntakeMode,
  type Nursery,
  nurseryTypes,
  SEED_INTAKE_SHARE,
  SEED_ROUND_DEADLINE_DAYS,
  seedNurseries,
} from '#services/childcare-slot/nurseries';
import type { Actor } from '../../core/engine/types.ts';
import { BadRequestError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { type I18nText, t } from '../../core/i18n.ts';
import { townships } from '../../core/reference/leqing.ts';

export const CHILDCARE_SERVICE = 'childcare-slot';
/** The agency whose caseworkers maintain the register (市卫生健康局). */
export const REGISTER_AGENCY = 'health';

export interface NewIntake {
  nurseryId: string;
  term: string;
  classId: ClassId;
  capacity: number;
  mode: IntakeMode;
  roundDeadline?: string | undefined;
  /** public description copied onto the pool for forms, e-mails and the engine */
  data: Record<string, unknown>;
}

export interface NurseryRepository {
  putNursery(nursery: Nursery, at: string, by: string): Promise<void>;
  getNursery(id: string): Promise<Nursery | null>;
  listNurseries(): Promise<Nursery[]>;
  /** Creates the intake (and joins the term's round in round mode) unless it exists. */
  createIntake(intake: NewIntake, at: string): Promise<'created' | 'exists'>;
  /** Changes the capacity; never below the places taken. A raise flags the pool for the sweeper. */
  setCapacity(nurseryId: string, term: string, classId: ClassId, capacity: number, at: string): Promise<void>;
  getIntake(nurseryId: string, term: string, classId: ClassId): Promise<IntakeRecord | null>;
  listIntakes(term: string): Promise<IntakeRecord[]>;
}

export interface NurseryInput {
  id: string;
  name: I18nText;
  township: string;
  address: string;
  licenceNumber: string;
  type: Nursery['type'];
  places: Partial<Record<ClassId, number>>;
}

export interface IntakeInput {
  capacity: number;
  mode: IntakeMode;
  roundDeadline?: string | undefined;
}

export interface NurseryListing extends Nursery {
  intakes: Array<{
    term: string;
    class: ClassId;
    className: I18nText;
    mode: IntakeMode;
    capacity: number;
    free: number;
    waiting: number;
    roundDeadline?: string | undefined;
  }>;
}

export class ChildcareService {
  constructor(
    private readonly repo: NurseryRepository,
    private readonly deps: { clock: { now(): Date } },
  ) {}

  requireRegistrar(actor: Actor) {
    const ok =
      actor.role === 'admin' ||
      actor.role === 'system' ||
      (actor.role === 'caseworker' && actor.agency === REGISTER_AGENCY);
    if (!ok) {
      throw new ForbiddenError(
        t(
          '只有管理员和卫生健康局工作人员可以维护托育机构',
          'Only admins and the health bureau maintain nurseries',
        ),
      );
    }
  }

  async registerNursery(actor: Actor, input: NurseryInput): Promise<Nursery> {
    this.requireRegistrar(actor);
    if (!townships.some((tw) => tw.id === input.township)) {
      throw new ValidationError([
        { path: 'township', code: 'township.unknown', message: t('未知的乡镇/街道', 'Unknown township') },
      ]);
    }
    if (!nurseryTypes.includes(input.type))
      throw new BadRequestError('BAD_TYPE', t('未知的机构类型', 'Unknown type'));
    if (Object.values(input.places).every((p) => !p)) {
      throw new ValidationError([
        { path: 'places', code: 'required', message: t('至少开设一个班级', 'Offer at least one class') },
      ]);
    }
    const nursery: Nursery = { ...input, places: { ...input.places } };
    await this.repo.putNursery(nursery, this.deps.clock.now().toISOString(), actor.sub);
    return nursery;
  }

  /** Creates an intake, or changes its capacity (its mode is fixed once created). */
  async putIntake(
    actor: Actor,
    nurseryId: string,
    term: string,
    classId: ClassId,
    input: IntakeInput,
  ): Promise<IntakeRecord> {
    this.requireRegistrar(actor);
    const nursery = await this.repo.getNursery(nurseryId);
    if (!nursery) throw new NotFoundError(t('托育机构不存在', 'No such nursery'));
    const errors = intakeProblems(nursery, term, classId, input);
    if (errors.length > 0) throw new ValidationError(errors);
    const now = this.deps.clock.now().toISOString();
    const existing = await this.repo.getIntake(nurseryId, term, classId);
    if (existing) {
      if (
        existing.mode !== input.mode ||
        (input.mode === 'round' && existing.roundDeadline !== input.roundDeadline)
      ) {
        throw new BadRequestError(
          'INTAKE_MODE_FIXED',
          t('招生方式和截止时间创建后不能更改', 'The mode and round deadline of an intake cannot change'),
        );
      }
      await this.repo.setCapacity(nurseryId, term, classId, input.capacity, now);
    } else {
      await this.repo.createIntake(
        {
          nurseryId,
          term,
          classId,
          capacity: input.capacity,
          mode: input.mode,
          roundDeadline: input.roundDeadline,
          data: intakeData(nursery, term, classId, input.mode),
        },
        now,
      );
    }
    return (await this.repo.getIntake(nurseryId, term, classId)) as IntakeRecord;
  }

  /** Nurseries with their intakes in a term: what a parent chooses preferences from. */
  async listNurseries(query: { term?: string | undefined; township?: string | undefined }): Promise<{
    term: string;
    items: NurseryListing[];
  }> {
    const term = query.term ?? (upcomingTerms(this.deps.clock.now(), 1)[0] as string);
    const [nurseries, intakes] = await Promise.all([this.repo.listNurseries(), this.repo.listIntakes(term)]);
    const items = nurseries
      .filter((n) => !query.township || n.township === query.township)
      .map((n) => ({
        ...n,
        intakes: intakes
          .filter((i) => i.nurseryId === n.id)
          .map((i) => ({
            term: i.term,
            class: i.classId,
            className: className(i.classId),
            mode: i.mode,
            capacity: i.capacity,
            free: i.capacity - i.taken,
            waiting: i.waiting,
            roundDeadline: i.roundDeadline,
          })),
      }));
    return { term, items };
  }

  /**
   * Loads the seed register: every seed nursery, and intakes for the next two terms (public
   * nurseries by round, others rolling). Idempotent: existing nurseries and intakes are kept.
   */
  async seed(actor: Actor): Promise<{ nurseries: number; intakesCreated: number; terms: string[] }> {
    this.requireRegistrar(actor);
    const now = this.deps.clock.now();
    const terms = upcomingTerms(now, 2);
    let intakesCreated = 0;
    for (const nursery of seedNurseries) {
      if (!(await this.repo.getNursery(nursery.id)))
        await this.repo.putNursery(nursery, now.toISOString(), actor.sub);
      for (const term of terms) {
        for (const classId of classIds) {
          const places = nursery.places[classId];
          if (!places) continue;
          const mode: IntakeMode = nursery.type === 'public' ? 'round' : 'rolling';
          const created = await this.repo.createIntake(
            {
              nurseryId: nursery.id,
              term,
              classId,
              capacity: Math.max(1, Math.round(places * SEED_INTAKE_SHARE)),
              mode,
              roundDeadline: mode === 'round' ? seedRoundDeadline(term) : undefined,
              data: intakeData(nursery, term, classId, mode),
            },
            now.toISOString(),
          );
          if (created === 'created') intakesCreated++;
        }
      }
    }
    return { nurseries: seedNurseries.length, intakesCreated, terms };
  }

  async figures(actor: Actor, query: { term?: string | undefined }): Promise<ChildcareFigures> {
    const allowed =
      actor.role === 'auditor' ||
      actor.role === 'admin' ||
      (actor.role === 'caseworker' && actor.agency === REGISTER_AGENCY);
    if (!allowed) {
      throw new ForbiddenError(
        t('只有审计人员和管理员可以查看报表', 'Only auditors and admins can see reports'),
      );
    }
    const term = query.term ?? (upcomingTerms(this.deps.clock.now(), 1)[0] as string);
    const [nurseries, intakes] = await Promise.all([this.repo.listNurseries(), this.repo.listIntakes(term)]);
    return childcareFigures(term, nurseries, intakes, townships);
  }
}

/** The end (24:00 China time) of the day SEED_ROUND_DEADLINE_DAYS before the term starts. */
export function seedRoundDeadline(term: string): string {
  const start = Date.parse(`${termStart(term)}T00:00:00+08:00`);
  return new Date(start - SEED_ROUND_DEADLINE_DAYS * 86_400_000 - 1).toISOString();
}

function intakeData(nursery: Nursery, term: string, classId: ClassId, mode: IntakeMode) {
  return {
    nurseryName: nursery.name,
    township: nursery.township,
    type: nursery.type,
    term,
    class: classId,
    className: className(classId),
    mode,
  };
}

function intakeProblems(nursery: Nursery, term: string, classId: ClassId, input: IntakeInput) {
  const errors: Array<{ path: string; code: string; message: I18nText }> = [];
  if (!TERM_PATTERN.test(term)) {
    errors.push({
      path: 'path.term',
      code: 'childcare.term.format',
      message: t('学期格式应为 YYYY-MM', 'The term must be YYYY-MM'),
    });
  }
  const licensed = nursery.places[classId];
  if (!licensed) {
    errors.push({
      path: 'path.class',
      code: 'childcare.class.notOffered',
      message: t(
        `该机构未开设${className(classId)['zh-CN']}`,
        `The nursery has no ${className(classId).en.toLowerCase()}`,
      ),
    });
  } else if (input.capacity > licensed) {
    errors.push({
      path: 'capacity',
      code: 'childcare.capacity.aboveLicence',
      message: t(
        `招生名额不能超过核定托位数 ${licensed}`,
        `The capacity cannot exceed the ${licensed} licensed places`,
      ),
    });
  }
  if (input.mode === 'round') {
    if (!input.roundDeadline) {
      errors.push({
        path: 'roundDeadline',
        code: 'required',
        message: t('批次分配须填写报名截止时间', 'A round needs a deadline'),
      });
    } else if (
      TERM_PATTERN.test(term) &&
      input.roundDeadline >= new Date(`${termStart(term)}T00:00:00+08:00`).toISOString()
    ) {
      errors.push({
        path: 'roundDeadline',
        code: 'childcare.round.afterStart',
        message: t('报名截止时间须早于学期开始', 'The deadline must be before the term starts'),
      });
    }
  } else if (input.roundDeadline) {
    errors.push({
      path: 'roundDeadline',
      code: 'childcare.round.rollingDeadline',
      message: t('随报随分的招生没有截止时间', 'A rolling intake has no round deadline'),
    });
  }
  return errors;
}
