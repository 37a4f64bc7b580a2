/**
 * The use cases behind the HTTP routes, the sweeper and the console: each loads state through the
 * repository port, applies one engine transition, and saves it. Handlers call exactly one method.
 */
import { createHash } from 'node:crypto';
import type { WorkingCalendar } from './calendar.ts';
import { canRead, canReveal, caseworkerSteps, maskForm, sensitiveValue } from './engine/access.ts';
import { nextTimerAt, transition } from './engine/transition.ts';
import {
  type Action,
  type Actor,
  type Application,
  type Decision,
  type DomainEvent,
  type FormData,
  type ServiceDefinition,
  type StepStatus,
  SYSTEM_ACTOR,
} from './engine/types.ts';
import {
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from './errors.ts';
import { toFieldErrors } from './forms/zod-errors.ts';
import { t } from './i18n.ts';
import type { ApplicationRepository, Clock, Ids, TaskItem } from './ports.ts';
import { agencies } from './reference/leqing.ts';
import { processingTimes, type TimingRow } from './reports/processing-times.ts';
import { getService } from './services/registry.ts';

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
  reason?: unknown;
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
}

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
    private readonly deps: { clock: Clock; ids: Ids; calendar: WorkingCalendar },
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
    input: { service: string; form: unknown },
    idempotencyKey?: string,
  ): Promise<{ view: ApplicationView; created: boolean }> {
    const def = getService(input.service);
    const form = this.validateForm(def, input.form);
    const result = transition(
      def,
      null,
      { type: 'submit', id: this.deps.ids.newId(), form },
      actor,
      this.deps.clock.now(),
      this.engineDeps(),
    );
    const claim = idempotencyKey
      ? {
          key: `${actor.sub}#${idempotencyKey}`,
          bodyHash: createHash('sha256')
            .update(JSON.stringify({ s: input.service, f: input.form }))
            .digest('hex'),
        }
      : undefined;
    const { app, created } = await this.repo.create(result, claim);
    return { view: this.view(getService(app.service), app, actor), created };
  }

  async get(actor: Actor, id: string): Promise<ApplicationView> {
    const { def, app } = await this.load(actor, id);
    return this.view(def, app, actor);
  }

  async listMine(actor: Actor): Promise<ApplicationView[]> {
    if (actor.role !== 'parent') {
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
    const township = agencies.find((a) => a.id === agency)?.level === 'township' ? actor.township : undefined;
    if (agencies.find((a) => a.id === agency)?.level === 'township' && !township) {
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

  decide(actor: Actor, id: string, step: string, input: DecisionInput) {
    return this.act(actor, id, { type: 'decide', step, ...input });
  }

  async resubmit(actor: Actor, id: string, form: unknown) {
    const { def } = await this.load(actor, id);
    return this.act(actor, id, { type: 'resubmit', form: this.validateForm(def, form) });
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

  /** Processing-time percentiles for settled applications of a service in [from, to] (China dates). */
  async processingTimes(
    actor: Actor,
    q: { service: string; from: string; to: string },
  ): Promise<TimingRow[]> {
    if (actor.role !== 'auditor' && actor.role !== 'admin') {
      throw new ForbiddenError(
        t('只有审计人员和管理员可以查看报表', 'Only auditors and admins can see reports'),
      );
    }
    const def = getService(q.service);
    const from = new Date(`${q.from}T00:00:00+08:00`).toISOString();
    const to = new Date(`${q.to}T23:59:59.999+08:00`).toISOString();
    const apps: Application[] = [];
    for (const status of ['completed', 'partially-completed', 'rejected'] as const) {
      apps.push(...(await this.repo.listByStatus(def.id, status, from, to)));
    }
    return processingTimes(apps, def.order);
  }

  /** Applies every timer due now (SLA warnings and breaches). Returns counts for logs. */
  async sweep(limit = 200): Promise<{ applied: number; skipped: number }> {
    const now = this.deps.clock.now();
    const due = await this.repo.dueTimers(now, limit);
    let applied = 0;
    let skipped = 0;
    for (const { appId, step } of due) {
      const app = await this.repo.get(appId);
      const state = app?.steps[step];
      const when = state ? nextTimerAt(state) : undefined;
      if (!app || !when || when > now.toISOString()) {
        skipped++;
        continue;
      }
      try {
        const result = transition(
          getService(app.service),
          app,
          { type: 'timer', step },
          SYSTEM_ACTOR,
          now,
          this.engineDeps(),
        );
        await this.repo.save(result, app.version);
        applied++;
      } catch (err) {
        // A concurrent change wins; the timer stays indexed and the next run retries it.
        if (err instanceof VersionConflictError || err instanceof InvalidStateError) skipped++;
        else throw err;
      }
    }
    return { applied, skipped };
  }

  private async act(
    actor: Actor,
    id: string,
    action: Exclude<Action, { type: 'submit' }>,
  ): Promise<ApplicationView> {
    const { def, app } = await this.load(actor, id);
    const result = transition(def, app, action, actor, this.deps.clock.now(), this.engineDeps());
    await this.repo.save(result, app.version);
    return this.view(def, result.app, actor);
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
