/**
 * The use cases behind the HTTP routes, the sweeper and the console: each loads state through the
 * repository port, applies one engine transition, and saves it. Handlers call exactly one method.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AuthorisationInput } from './authorisation.ts';
import type { WorkingCalendar } from './calendar.ts';
import { agencies, getService } from './catalog.ts';
import { canRead, canReveal, caseworkerSteps, maskForm, sensitiveValue } from './engine/access.ts';
import { nextTimerAt, transition } from './engine/transition.ts';
import {
  type Action,
  type Actor,
  type Application,
  type Decision,
  type DomainEvent,
  type FiledBy,
  type FormData,
  type OrgRecord,
  type PoolState,
  poolKey,
  type ServiceDefinition,
  type StepState,
  type StepStatus,
  SYSTEM_ACTOR,
  type TransitionResult,
} from './engine/types.ts';
import {
  BadRequestError,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  PoolContentionError,
  RoundDrawConflictError,
  SlotsExhaustedError,
  ValidationError,
  VersionConflictError,
} from './errors.ts';
import { toFieldErrors } from './forms/zod-errors.ts';
import { t } from './i18n.ts';
import type { ApplicationRepository, Clock, Ids, PoolRepository, RoundRecord, TaskItem } from './ports.ts';

export interface StepView {
  step: string;
  title: { 'zh-CN': string; en: string };
  kind: string;
  agency?: string | undefined;
  status: StepStatus;
  openedAt?: string | undefined;
  dueAt?: string | undefined;
  decidedAt?: string | undefined;
  outputs?: Record<string, unknown> | undefined;
  reason?: StepState['reason'];
  infoFields?: string[] | undefined;
  infoNote?: string | undefined;
  assignee?: string | undefined;
  warned?: boolean | undefined;
  breached?: boolean | undefined;
  slaProvisional?: boolean | undefined;
}

export interface ApplicationView {
  id: string;
  service: string;
  status: Application['status'];
  label: string;
  township?: string | undefined;
  createdAt: string;
  updatedAt: string;
  completedAt?: string | undefined;
  dueAt?: string | undefined;
  slaProvisional?: boolean | undefined;
  version: number;
  form: FormData;
  steps: StepView[];
  /** where the application stands on each waitlist it is on (single-application reads only) */
  waitlist?: WaitlistView[] | undefined;
  /** an agent filed it for the family (代办): who, and how the guardian authorised them */
  filedBy?: FiledByView | undefined;
}

export interface FiledByView {
  org?: string | undefined;
  name?: string | undefined;
  method: FiledBy['method'];
  /** a 委托书 is on the case (GET /applications/{id}/authorisation-letter) */
  letter: boolean;
  confirmedAt?: string | undefined;
}

export interface WaitlistView {
  org: string;
  pool: string;
  /** 1 = next in line; null while a round is still to be drawn */
  position: number | null;
  /** how many are on this waitlist */
  length: number;
  /** waiting for a round's draw rather than in line */
  pending: boolean;
  /** the pool's allocation round: its deadline (the draw follows it) and when it was drawn */
  round?: { id: string; deadline: string; allocatedAt?: string | undefined } | undefined;
  /** the pool's public description (e.g. nursery name, class, term) */
  data?: Record<string, unknown> | undefined;
}

/** Attempts before a lost race for a place reaches the caller. */
const MAX_POOL_ATTEMPTS = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Full-jitter exponential backoff for contended pools, capped at 250 ms. */
const backoffMs = (attempt: number) => Math.random() * Math.min(250, 5 * 2 ** Math.min(attempt, 6));

export interface DecisionInput {
  decision: Decision;
  reason?: string | undefined;
  note?: string | undefined;
  outputs?: Record<string, unknown> | undefined;
  fields?: string[] | undefined;
}

export class ApplicationService {
  constructor(
    private readonly repo: ApplicationRepository,
    private readonly deps: {
      clock: Clock;
      ids: Ids;
      calendar: WorkingCalendar;
      /** brings the admin-maintained townships and hospitals the forms check against up to date */
      refreshReference?: (() => Promise<void>) | undefined;
      /** checks an agent's authorisation to file for a family (core/authorisation.ts) */
      authorise?:
        | ((
            actor: Actor,
            input: AuthorisationInput | undefined,
            contactPhone: string | undefined,
          ) => Promise<FiledBy | undefined>)
        | undefined;
    },
  ) {}

  private engineDeps() {
    return { calendar: this.deps.calendar, newEventId: () => this.deps.ids.newId() };
  }

  validateForm(def: ServiceDefinition, form: unknown): FormData {
    const parsed = def.form.safeParse(form);
    if (!parsed.success) throw new ValidationError(toFieldErrors(parsed.error, ['form']));
    return parsed.data;
  }

  async submit(
    actor: Actor,
    input: { service: string; form: unknown; authorisation?: AuthorisationInput | undefined },
    idempotencyKey?: string,
  ): Promise<{ view: ApplicationView; created: boolean }> {
    const def = getService(input.service);
    await this.deps.refreshReference?.();
    const form = this.validateForm(def, input.form);
    if (actor.role === 'agent' && !this.deps.authorise) {
      throw new ForbiddenError(t('此处不受理代办', 'Agents cannot file here'));
    }
    const filedBy = await this.deps.authorise?.(actor, input.authorisation, def.contactPhone?.(form));
    const id = this.deps.ids.newId();
    const now = this.deps.clock.now();
    const claim = idempotencyKey ? idempotencyClaim(actor, input, idempotencyKey) : undefined;
    const orgs = await this.readOrgs(def, form);
    const { app, created } = await this.withPools(def, form, async (pools, first) => {
      if (first) {
        const problems = def.check?.({ form, now, pools, orgs }) ?? [];
        if (problems.length > 0) throw new ValidationError(problems);
      }
      const result = transition(def, null, { type: 'submit', id, form, filedBy }, actor, now, {
        ...this.engineDeps(),
        pools,
      });
      return this.repo.create(result, claim);
    });
    return { view: this.view(getService(app.service), app, actor), created };
  }

  /** The applicant answers an applicant step (accepts or declines an offered place). */
  respond(actor: Actor, id: string, step: string, response: 'accept' | 'decline', note?: string) {
    return this.act(actor, id, { type: 'respond', step, response, note });
  }

  private get poolStore(): PoolRepository {
    if (!this.repo.pools) throw new Error('This store has no capacity pools (ApplicationRepository.pools)');
    return this.repo.pools;
  }

  private async readOrgs(def: ServiceDefinition, form: FormData): Promise<Map<string, OrgRecord>> {
    const ids = [...new Set(def.orgs?.(form) ?? [])];
    if (ids.length === 0) return new Map();
    if (!this.repo.orgs) throw new Error('This store cannot read organisations (ApplicationRepository.orgs)');
    return this.repo.orgs.read(ids);
  }

  private async readPools(def: ServiceDefinition, form: FormData): Promise<Map<string, PoolState>> {
    const refs = def.pools?.(form) ?? [];
    return refs.length > 0 ? this.poolStore.read(refs) : new Map();
  }

  /**
   * Runs `attempt` with fresh pool states until it commits. A place taken by someone else between
   * the read and the write (SlotsExhaustedError) re-reads at once; contention on a hot pool item
   * backs off with jitter. Either way nothing was written by the failed attempt.
   */
  private async withPools<T>(
    def: ServiceDefinition,
    form: FormData,
    attempt: (pools: ReadonlyMap<string, PoolState>, first: boolean) => Promise<T>,
  ): Promise<T> {
    for (let n = 0; ; n++) {
      const pools = await this.readPools(def, form);
      try {
        return await attempt(pools, n === 0);
      } catch (err) {
        const retryable = err instanceof SlotsExhaustedError || err instanceof PoolContentionError;
        if (!retryable || n + 1 >= MAX_POOL_ATTEMPTS) throw err;
        if (err instanceof PoolContentionError) await sleep(backoffMs(n));
      }
    }
  }

  async get(actor: Actor, id: string): Promise<ApplicationView> {
    const { def, app } = await this.load(actor, id);
    const view = this.view(def, app, actor);
    const waitlist = await this.waitlistView(app);
    return waitlist ? { ...view, waitlist } : view;
  }

  async listMine(actor: Actor): Promise<ApplicationView[]> {
    if (actor.role !== 'parent' && actor.role !== 'agent') {
      throw new ForbiddenError(t('只有申请人有“我的申请”', 'Only applicants have their own applications'));
    }
    const apps = await this.repo.listByApplicant(actor.sub);
    return apps.map((app) => this.view(getService(app.service), app, actor));
  }

  async events(actor: Actor, id: string): Promise<DomainEvent[]> {
    await this.load(actor, id);
    return this.repo.listEvents(id);
  }

  async queue(actor: Actor, query: { agency?: string | undefined; status: StepStatus }): Promise<TaskItem[]> {
    if (actor.role !== 'caseworker') {
      throw new ForbiddenError(t('只有工作人员有任务队列', 'Only caseworkers have a queue'));
    }
    const agency = query.agency ?? actor.agency;
    if (!agency || agency !== actor.agency) {
      throw new ForbiddenError(t('只能查看本部门的任务', "You can see only your own agency's queue"));
    }
    const township =
      agencies().find((a) => a.id === agency)?.level === 'township' ? actor.township : undefined;
    if (agencies().find((a) => a.id === agency)?.level === 'township' && !township) {
      throw new ForbiddenError(t('您的账号未关联乡镇/街道', 'Your account has no township'));
    }
    return this.repo.listQueue({ agency, township, status: query.status });
  }

  claim(actor: Actor, id: string, step: string) {
    return this.act(actor, id, { type: 'claim', step });
  }

  unclaim(actor: Actor, id: string, step: string) {
    return this.act(actor, id, { type: 'unclaim', step });
  }

  /**
   * A caseworker's decision. `computeInput` is passed only by a service module's use case that
   * read what the step's `computeOutputs` hook needs (e.g. the aid standard in force); HTTP
   * bodies cannot carry it.
   */
  decide(
    actor: Actor,
    id: string,
    step: string,
    input: DecisionInput,
    opts: { computeInput?: unknown } = {},
  ) {
    return this.act(actor, id, { type: 'decide', step, ...input }, opts);
  }

  /**
   * The first answer to a repeated submission (same Idempotency-Key, same body), read from its
   * record, or null when the key is new or came with another body (submit then decides). Asked
   * before the rate limit counts, so a client retrying after a lost answer is never refused.
   */
  async replay(
    actor: Actor,
    input: { service: string; form: unknown },
    idempotencyKey: string,
  ): Promise<ApplicationView | null> {
    const claim = idempotencyClaim(actor, input, idempotencyKey);
    const seen = await this.repo.findIdempotent(claim.key);
    if (!seen || seen.bodyHash !== claim.bodyHash) return null;
    const app = await this.repo.get(seen.appId);
    return app ? this.view(getService(app.service), app, actor) : null;
  }

  async resubmit(actor: Actor, id: string, form: unknown) {
    const { def } = await this.load(actor, id);
    await this.deps.refreshReference?.();
    return this.act(actor, id, { type: 'resubmit', form: this.validateForm(def, form) });
  }

  /** A caseworker interrupts a running timer step for review (e.g. an objection to a public notice). */
  interrupt(actor: Actor, id: string, step: string, reason: string, note?: string) {
    return this.act(actor, id, { type: 'interrupt', step, reason, note });
  }

  withdraw(actor: Actor, id: string) {
    return this.act(actor, id, { type: 'withdraw' });
  }

  /** Shows one ID number in clear to a permitted caseworker; the reveal is an audit event. */
  async reveal(
    actor: Actor,
    id: string,
    path: string,
    reason: string,
  ): Promise<{ path: string; value: string }> {
    const { def, app } = await this.load(actor, id);
    if (!canReveal(def, app, actor))
      throw new ForbiddenError(t('无权查看完整证件号', 'You may not reveal ID numbers'));
    const result = transition(
      def,
      app,
      { type: 'reveal', path, reason },
      actor,
      this.deps.clock.now(),
      this.engineDeps(),
    );
    await this.repo.save(result, app.version);
    return { path, value: sensitiveValue(app.form, path) ?? '' };
  }

  /**
   * The sweeper's run: applies every timer due now (SLA warnings and breaches, applicant
   * deadlines), then offers places freed meanwhile to the waitlists' heads, then draws rounds
   * past their deadline. Returns counts for logs.
   */
  async sweep(
    limit = 200,
  ): Promise<{ applied: number; skipped: number; breaches: number; promoted: number; rounds: number }> {
    const timers = await this.applyTimers(limit);
    const { promoted } = await this.promoteWaitlists(limit);
    let rounds = 0;
    let failure: unknown;
    if (this.repo.pools) {
      for (const round of await this.repo.pools.dueRounds(this.deps.clock.now(), 10)) {
        // One failing round must not hold up the others; the error surfaces after them.
        try {
          await this.allocateRound(SYSTEM_ACTOR, round.service, round.id);
          rounds++;
        } catch (err) {
          // drawn meanwhile, or another draw is running: nothing for this run to do
          if (!(err instanceof RoundDrawConflictError)) failure ??= err;
        }
      }
      // Places a round left free go to late registrations on the next run's promotions.
    }
    if (failure) throw failure;
    return { ...timers, promoted, rounds };
  }

  private async applyTimers(limit: number): Promise<{ applied: number; skipped: number; breaches: number }> {
    const now = this.deps.clock.now();
    const due = await this.repo.dueTimers(now, limit);
    let applied = 0;
    let skipped = 0;
    let breaches = 0;
    for (const { appId, step } of due) {
      const app = await this.repo.get(appId);
      const state = app?.steps[step];
      const when = state ? nextTimerAt(state) : undefined;
      if (!app || !when || when > now.toISOString()) {
        skipped++;
        continue;
      }
      try {
        const def = getService(app.service);
        await this.withPools(def, app.form, async (pools) => {
          const result = transition(def, app, { type: 'timer', step }, SYSTEM_ACTOR, now, {
            ...this.engineDeps(),
            pools,
          });
          await this.repo.save(result, app.version);
          breaches += result.events.filter((e) => e.type === 'sla-breached').length;
        });
        applied++;
      } catch (err) {
        // A concurrent change wins; the timer stays indexed and the next run retries it.
        if (
          err instanceof VersionConflictError ||
          err instanceof InvalidStateError ||
          err instanceof PoolContentionError
        )
          skipped++;
        else throw err;
      }
    }
    return { applied, skipped, breaches };
  }

  private async act(
    actor: Actor,
    id: string,
    requested: Exclude<Action, { type: 'submit' }>,
    opts: { computeInput?: unknown } = {},
  ): Promise<ApplicationView> {
    const { def, app } = await this.load(actor, id);
    let action = requested;
    const compute = action.type === 'decide' ? def.steps[action.step]?.computeOutputs : undefined;
    if (compute && action.type === 'decide' && action.decision === 'approve') {
      if (opts.computeInput === undefined) {
        throw new InvalidStateError(
          t(
            '该环节的结果由系统按现行标准核定，须通过本服务的审批操作办理，不能手工填写',
            "This step's outputs are computed from the standard in force: approve it through the service's own approval, not by typing them",
          ),
        );
      }
      action = { ...action, outputs: compute({ app, input: opts.computeInput }) };
    }
    const now = this.deps.clock.now();
    // Pool contention (a freed place, a left waitlist) is retried; a changed application is a 409.
    const result = await this.withPools(def, app.form, async (pools) => {
      const r = transition(def, app, action, actor, now, { ...this.engineDeps(), pools });
      await this.repo.save(r, app.version);
      return r;
    });
    return this.view(def, result.app, actor);
  }

  /**
   * Runs a waiting auto step again as the system (a freed place, a round's placement). Returns
   * whether the application changed; a step that no longer waits is left alone.
   */
  async retryStep(
    appId: string,
    step: string,
    input?: Record<string, unknown>,
  ): Promise<'changed' | 'unchanged' | 'not-waiting'> {
    for (let n = 0; ; n++) {
      const app = await this.repo.get(appId);
      if (app?.steps[step]?.status !== 'waiting') return 'not-waiting';
      const def = getService(app.service);
      const now = this.deps.clock.now();
      let result: TransitionResult | undefined;
      try {
        result = await this.withPools(def, app.form, async (pools) => {
          const r = transition(def, app, { type: 'retry', step, input }, SYSTEM_ACTOR, now, {
            ...this.engineDeps(),
            pools,
          });
          if (r.events.length === 0 && r.touched.length === 0 && (r.effects ?? []).length === 0)
            return undefined;
          await this.repo.save(r, app.version);
          return r;
        });
      } catch (err) {
        if (err instanceof VersionConflictError && n + 1 < MAX_POOL_ATTEMPTS) continue;
        throw err;
      }
      return result ? 'changed' : 'unchanged';
    }
  }

  /**
   * Offers freed places to the heads of the waitlists, in rank order, for every pool flagged by a
   * release (decline, expiry, withdrawal) or a raised capacity.
   */
  private async promoteWaitlists(limit: number): Promise<{ promoted: number; pools: number }> {
    const store = this.repo.pools;
    if (!store) return { promoted: 0, pools: 0 };
    const due = await store.duePools(this.deps.clock.now(), limit);
    let promoted = 0;
    for (const { pool, marker } of due) {
      const read = async () => (await store.read([pool])).get(poolKey(pool));
      let state = await read();
      const drawPending = state?.round && !state.round.allocatedAt;
      if (state && !drawPending) {
        // Heads in rank order; one that cannot take the place (e.g. it is being withdrawn) is
        // passed over for this run, and the next run tries it again.
        const tried = new Set<string>();
        while (state && state.capacity > state.taken && state.waiting > tried.size) {
          const head = (await store.waitlist(pool, { limit: tried.size + 1 })).find(
            (h) => !tried.has(h.appId),
          );
          if (!head) break;
          tried.add(head.appId);
          const before = state.taken;
          await this.retryStep(head.appId, head.step, { promote: { org: pool.org, pool: pool.pool } }).catch(
            (err: unknown) => {
              if (!(err instanceof InvalidStateError || err instanceof VersionConflictError)) throw err;
            },
          );
          state = await read();
          if (state && state.taken > before) promoted++;
        }
      }
      if (!state || drawPending || state.capacity <= state.taken || state.waiting === 0) {
        await store.clearDue(pool, marker);
      }
    }
    return { promoted, pools: due.length };
  }

  /**
   * Allocates a round (batch allocation after its deadline): fixes and records the seed, orders
   * the entrants with the service's pure `round.plan`, and gives each its placement in that order.
   * Serial allocation in rank order makes a resumed run (after a crash) give the same result.
   */
  async allocateRound(
    actor: Actor,
    service: string,
    roundId: string,
    opts: { seed?: string | undefined } = {},
  ): Promise<RoundRecord> {
    const def = getService(service);
    if (!def.round)
      throw new BadRequestError('NO_ROUNDS', t('该服务没有批次分配', 'This service has no rounds'));
    if (actor.role !== 'system' && actor.role !== 'admin' && actor.role !== 'caseworker') {
      throw new ForbiddenError();
    }
    const store = this.poolStore;
    const existing = await store.getRound(service, roundId);
    if (!existing) throw new NotFoundError(t('批次不存在', 'No such round'));
    if (existing.status === 'allocated') throw new RoundDrawConflictError('ROUND_ALREADY_DRAWN');
    const now = this.deps.clock.now();
    if (now.toISOString() < existing.deadline) {
      throw new InvalidStateError(
        t(
          `报名截止（${existing.deadline}）前不能分配`,
          `The round cannot be drawn before its deadline (${existing.deadline})`,
        ),
      );
    }
    // claims the round: a concurrent draw is refused here, so entrants are placed (and told) once
    const round = await store.startRound(service, roundId, opts.seed ?? randomBytes(16).toString('hex'), now);
    const pools = await store.read(round.pools);
    const waiting = new Map<string, string>();
    for (const pool of round.pools) {
      for (const item of await store.waitlist(pool, { rankPrefix: 'P' })) waiting.set(item.appId, item.step);
    }
    const entrants: Application[] = [];
    const ids = [...waiting.keys()];
    for (let i = 0; i < ids.length; i += 25) {
      const batch = await Promise.all(ids.slice(i, i + 25).map((id) => this.repo.get(id)));
      for (const app of batch)
        if (app && app.steps[waiting.get(app.id) ?? '']?.status === 'waiting') entrants.push(app);
    }
    const plan = def.round.plan({ roundId, seed: round.seed as string, entrants, pools });
    let placed = 0;
    for (const entry of plan) {
      // An entrant withdrawn meanwhile is skipped; its planned place goes to the waitlist's head.
      await this.retryStep(entry.appId, entry.step, entry.input).catch((err: unknown) => {
        if (!(err instanceof InvalidStateError || err instanceof VersionConflictError)) throw err;
      });
      const app = await this.repo.get(entry.appId);
      if (app?.holds?.some((h) => round.pools.some((p) => poolKey(p) === poolKey(h)))) placed++;
    }
    await store.finishRound(service, roundId, { entrants: entrants.length, placed }, this.deps.clock.now());
    return (await store.getRound(service, roundId)) as RoundRecord;
  }

  /** The round record (seed, deadline, counts) for audit. */
  async round(actor: Actor, service: string, roundId: string): Promise<RoundRecord> {
    if (actor.role === 'parent') throw new ForbiddenError();
    const round = await this.poolStore.getRound(service, roundId);
    if (!round) throw new NotFoundError(t('批次不存在', 'No such round'));
    return round;
  }

  private async waitlistView(app: Application): Promise<WaitlistView[] | undefined> {
    const entries = app.queued ?? [];
    const store = this.repo.pools;
    if (entries.length === 0 || !store) return undefined;
    const [ahead, states] = await Promise.all([
      store.ahead(app.id, entries),
      store.read(entries.map((e) => ({ org: e.org, pool: e.pool }))),
    ]);
    return entries.map((e, i) => {
      const state = states.get(poolKey(e));
      const pending = e.rank.startsWith('P');
      return {
        org: e.org,
        pool: e.pool,
        position: pending ? null : (ahead[i] ?? 0) + 1,
        length: state?.waiting ?? 0,
        pending,
        round: state?.round,
        data: state?.data,
      };
    });
  }

  /** Loads an application the actor may read; others get 404, so ids cannot be probed. */
  private async load(actor: Actor, id: string): Promise<{ def: ServiceDefinition; app: Application }> {
    const app = await this.repo.get(id);
    if (!app) throw new NotFoundError(t('申请不存在', 'Application not found'));
    const def = getService(app.service);
    if (!canRead(def, app, actor)) throw new NotFoundError(t('申请不存在', 'Application not found'));
    return { def, app };
  }

  view(def: ServiceDefinition, app: Application, actor: Actor): ApplicationView {
    const mine = actor.role === 'caseworker' ? new Set(caseworkerSteps(def, app, actor)) : null;
    return {
      id: app.id,
      service: app.service,
      status: app.status,
      label: app.label,
      township: app.township,
      createdAt: app.createdAt,
      updatedAt: app.updatedAt,
      completedAt: app.completedAt,
      dueAt: app.dueAt,
      slaProvisional: app.slaProvisional,
      version: app.version,
      form: maskForm(def, app.form),
      filedBy: app.filedBy && {
        org: app.filedBy.org,
        name: app.filedBy.name,
        method: app.filedBy.method,
        letter: app.filedBy.letter !== undefined,
        confirmedAt: app.filedBy.confirmedAt,
      },
      steps: def.order.map((name) => {
        const s = app.steps[name];
        const stepDef = def.steps[name];
        return {
          step: name,
          title: stepDef?.title ?? { 'zh-CN': name, en: name },
          kind: stepDef?.kind ?? 'human',
          agency: s?.agency,
          status: s?.status ?? 'pending',
          openedAt: s?.openedAt,
          dueAt: s?.dueAt,
          decidedAt: s?.decidedAt,
          outputs: s?.outputs,
          reason: s?.reason,
          infoFields: s?.infoFields,
          infoNote: s?.infoNote,
          assignee: mine?.has(name) || actor.role === 'admin' ? s?.assignee : undefined,
          warned: s?.warned,
          breached: s?.breached,
          slaProvisional: s?.slaProvisional,
        };
      }),
    };
  }
}

/** The caller-scoped key and the body's hash under which a submission is recorded once. */
function idempotencyClaim(actor: Actor, input: { service: string; form: unknown }, key: string) {
  return {
    key: `${actor.sub}#${key}`,
    bodyHash: createHash('sha256')
      .update(JSON.stringify({ s: input.service, f: input.form }))
      .digest('hex'),
  };
}
