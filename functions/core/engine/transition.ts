/**
 * The engine: a pure function (definition, application, action, actor, now) → (new state, events).
 * It decides who may do what in which state; persistence is the repository's job. Every call
 * returns a new application object and never mutates its input.
 */
import type { WorkingCalendar } from '../calendar.ts';
import {
  BadRequestError,
  type FieldError,
  ForbiddenError,
  InvalidStateError,
  ValidationError,
} from '../errors.ts';
import { messages, t } from '../i18n.ts';
import { isFamily } from './access.ts';
import { diffPaths, getPath } from './paths.ts';
import {
  ACTIVE,
  type Action,
  type Actor,
  type Application,
  type DomainEvent,
  type EventType,
  type FiledBy,
  type FormData,
  holdAmount,
  type PoolHold,
  type PoolState,
  poolKey,
  type QueueEntry,
  SETTLED,
  type ServiceDefinition,
  type StepDefinition,
  type StepState,
  type StoreEffect,
  TERMINAL,
  type TransitionResult,
} from './types.ts';

export interface EngineDeps {
  calendar: WorkingCalendar;
  newEventId: () => string;
  /** pool states read just before this transition (services that declare `pools`) */
  pools?: ReadonlyMap<string, PoolState> | undefined;
}

const SLA_WARNING_FRACTION = 0.8;
/** Applicant steps without their own deadline (e.g. an offered place) expire after this. */
export const DEFAULT_APPLICANT_DEADLINE_WORKING_DAYS = 7;

class Draft {
  readonly events: DomainEvent[] = [];
  readonly touched = new Set<string>();
  constructor(
    readonly def: ServiceDefinition,
    readonly app: Application,
    readonly actor: Actor,
    readonly now: Date,
    readonly deps: EngineDeps,
  ) {}

  get nowIso() {
    return this.now.toISOString();
  }

  emit(type: EventType, fields: Partial<DomainEvent> = {}) {
    this.events.push({
      eventId: this.deps.newEventId(),
      // the kernel numbers every event of an application's history: 0, 1, 2, … without gaps
      seq: (this.app.eventSeq ?? 0) + this.events.length,
      appId: this.app.id,
      service: this.app.service,
      type,
      at: this.nowIso,
      actor: { sub: this.actor.sub, role: this.actor.role, agency: this.actor.agency },
      township: this.app.township,
      ...fields,
    });
  }

  stepDef(name: string): StepDefinition {
    const def = this.def.steps[name];
    if (!def)
      throw new BadRequestError('UNKNOWN_STEP', t(`未知的办理环节：${name}`, `Unknown step: ${name}`));
    return def;
  }

  step(name: string): StepState {
    this.stepDef(name);
    const state = this.app.steps[name];
    if (!state) throw new InvalidStateError(t('环节状态缺失', 'Step state is missing'));
    return state;
  }

  setStep(name: string, patch: Partial<StepState>) {
    this.app.steps[name] = { ...this.step(name), ...patch };
    this.touched.add(name);
  }
}

export function transition(
  def: ServiceDefinition,
  current: Application | null,
  action: Action,
  actor: Actor,
  now: Date,
  deps: EngineDeps,
): TransitionResult {
  if (action.type === 'submit') {
    const result = submit(def, action.id, action.form, actor, now, deps, action.filedBy);
    return { ...result, effects: effectsOf(def, null, result.app, deps.pools) };
  }
  if (!current) throw new InvalidStateError(t('申请不存在', 'No such application'));
  const app: Application = structuredClone(current);
  const d = new Draft(def, app, actor, now, deps);
  if (TERMINAL.has(app.status) && action.type !== 'reveal') {
    throw new InvalidStateError(
      t('该申请已办结，不能再更改', 'This application is closed and cannot change'),
    );
  }
  switch (action.type) {
    case 'claim':
      claim(d, action.step);
      break;
    case 'unclaim':
      unclaim(d, action.step);
      break;
    case 'decide':
      decide(d, action);
      break;
    case 'resubmit':
      resubmit(d, action.form);
      break;
    case 'withdraw':
      withdraw(d);
      break;
    case 'timer':
      timer(d, action.step);
      break;
    case 'reveal':
      reveal(d, action.path, action.reason);
      break;
    case 'respond':
      respond(d, action.step, action.response, action.note);
      break;
    case 'retry':
      retry(d, action.step, action.input);
      break;
    case 'interrupt':
      interrupt(d, action.step, action.reason, action.note);
      break;
  }
  if (action.type !== 'reveal' && action.type !== 'withdraw') settle(d);
  finalize(d);
  app.version = current.version + 1;
  app.updatedAt = d.nowIso;
  app.eventSeq = (current.eventSeq ?? 0) + d.events.length;
  return {
    app,
    events: d.events,
    touched: [...d.touched],
    effects: effectsOf(def, current, app, deps.pools),
  };
}

function submit(
  def: ServiceDefinition,
  id: string,
  form: FormData,
  actor: Actor,
  now: Date,
  deps: EngineDeps,
  filedBy?: FiledBy,
): TransitionResult {
  // an agent files only on an authorisation the use case has verified (core/authorisation.ts)
  const asAgent = actor.role === 'agent' && filedBy?.sub === actor.sub;
  if (actor.role !== 'parent' && !asAgent)
    throw new ForbiddenError(t('只有申请人可以提交申请', 'Only applicants can submit'));
  const nowIso = now.toISOString();
  const township = def.township(form);
  const due = deps.calendar.addWorkingDays(now, def.sla.workingDays);
  const app: Application = {
    id,
    service: def.id,
    applicant: actor.sub,
    status: 'in-progress',
    form,
    steps: {},
    township,
    label: def.label(form),
    contactEmail: def.contactEmail(form) ?? actor.email,
    ...contactChannels(def, form),
    filedBy: asAgent ? filedBy : undefined,
    version: 1,
    createdAt: nowIso,
    updatedAt: nowIso,
    dueAt: due.at.toISOString(),
    slaProvisional: due.provisional || undefined,
  };
  for (const name of def.order) {
    const step = def.steps[name] as StepDefinition;
    const wanted = step.when ? step.when(form) : true;
    app.steps[name] = {
      step: name,
      kind: step.kind,
      agency: step.agency,
      township: step.byTownship ? township : undefined,
      status: wanted ? 'pending' : 'skipped',
      pausedMs: 0,
    };
  }
  const d = new Draft(def, app, actor, now, deps);
  d.emit('submitted', {
    to: 'in-progress',
    data: {
      steps: def.order.filter((s) => app.steps[s]?.status !== 'skipped'),
      ...(app.filedBy ? { filedBy: { org: app.filedBy.org, method: app.filedBy.method } } : {}),
    },
  });
  for (const name of def.order) d.touched.add(name);
  settle(d);
  finalize(d);
  app.eventSeq = d.events.length;
  return { app, events: d.events, touched: [...d.touched] };
}

/** Opens every pending step whose needs are settled, runs auto steps, then sets the app status. */
function settle(d: Draft) {
  const { app, def } = d;
  for (const name of def.order) {
    const state = app.steps[name];
    const step = def.steps[name];
    if (!state || !step || state.status !== 'pending') continue;
    const needs = (step.needs ?? []).map((n) => app.steps[n]?.status);
    if (!needs.every((s) => s !== undefined && SETTLED.has(s))) continue;
    const doneCount = needs.filter((s) => s === 'done').length;
    const ready = step.join === 'any-done' ? needs.length === 0 || doneCount > 0 : doneCount === needs.length;
    if (!ready) {
      d.setStep(name, { status: 'skipped' });
      d.emit('step-skipped', { step: name, agency: step.agency, from: 'pending', to: 'skipped' });
      continue;
    }
    openStep(d, name, step);
  }
  updateStatus(d);
}

/**
 * Runs an auto step: it passes (possibly taking a pool place), rejects, or waits on pools'
 * waitlists until the system retries it. `from` is the step's status before the run.
 */
function runAuto(
  d: Draft,
  name: string,
  step: StepDefinition,
  from: 'pending' | 'waiting',
  input?: Record<string, unknown>,
) {
  const result = (step.run as NonNullable<StepDefinition['run']>)({
    form: d.app.form,
    now: d.now,
    app: d.app,
    pools: d.deps.pools,
    input,
  });
  const openedAt = d.app.steps[name]?.openedAt ?? d.nowIso;
  const totalSeconds = seconds(d.now.getTime() - Date.parse(openedAt));
  const others = (d.app.queued ?? []).filter((e) => e.step !== name);
  if (result.outcome === 'pass') {
    d.app.queued = others.length > 0 ? others : undefined;
    if (result.take) {
      const amount = holdAmount(result.take);
      if (!Number.isSafeInteger(amount) || amount < 1) {
        throw new Error(
          `step ${name} took ${amount} of a pool: an amount is a whole number of units, at least 1`,
        );
      }
      const take: PoolHold = {
        org: result.take.org,
        pool: result.take.pool,
        ...(amount === 1 ? {} : { amount }),
      };
      d.app.holds = [...(d.app.holds ?? []).filter((h) => poolKey(h) !== poolKey(take)), take];
    }
    d.setStep(name, {
      status: 'done',
      openedAt,
      decidedAt: d.nowIso,
      decidedBy: 'system',
      outputs: result.outputs,
      reason: undefined,
    });
    d.emit('step-approved', {
      step: name,
      from,
      to: 'done',
      data: { auto: true, totalSeconds, withinSla: true },
    });
    return;
  }
  if (result.outcome === 'reject') {
    d.app.queued = others.length > 0 ? others : undefined;
    d.setStep(name, {
      status: 'rejected',
      openedAt,
      decidedAt: d.nowIso,
      decidedBy: 'system',
      reason: { code: result.code, text: result.reasons },
    });
    d.emit('step-rejected', {
      step: name,
      from,
      to: 'rejected',
      reason: result.code,
      data: { auto: true },
    });
    return;
  }
  const entries: QueueEntry[] = result.queue.map((q) => ({
    org: q.pool.org,
    pool: q.pool.pool,
    rank: q.rank,
    step: name,
  }));
  const before = (d.app.queued ?? []).filter((e) => e.step === name);
  const state = d.app.steps[name];
  const unchanged =
    from === 'waiting' &&
    state?.reason?.code === result.reason &&
    JSON.stringify(state?.outputs ?? null) === JSON.stringify(result.outputs ?? null) &&
    JSON.stringify(before) === JSON.stringify(entries);
  if (unchanged) return;
  d.app.queued = [...others, ...entries].length > 0 ? [...others, ...entries] : undefined;
  d.setStep(name, {
    status: 'waiting',
    openedAt,
    outputs: result.outputs,
    reason: { code: result.reason },
  });
  d.emit('step-waiting', {
    step: name,
    from,
    to: 'waiting',
    reason: result.reason,
    data: { pools: entries.map((e) => ({ org: e.org, pool: e.pool })) },
  });
}

function openStep(d: Draft, name: string, step: StepDefinition) {
  if (step.kind === 'auto') {
    runAuto(d, name, step, 'pending');
    return;
  }
  const patch: Partial<StepState> = { status: 'open', openedAt: d.nowIso };
  if (step.kind === 'human' && step.agencyOf) patch.agency = step.agencyOf(d.app) ?? step.agency;
  if (step.kind === 'timer') {
    // calendar days, not working days: a public notice runs over weekends and holidays
    patch.dueAt = new Date(d.now.getTime() + (step.timer?.days ?? 0) * 86_400_000).toISOString();
  } else if (step.kind === 'applicant') {
    const due = d.deps.calendar.addWorkingDays(
      d.now,
      step.deadline?.workingDays ?? DEFAULT_APPLICANT_DEADLINE_WORKING_DAYS,
    );
    patch.dueAt = due.at.toISOString();
    patch.slaProvisional = due.provisional || undefined;
  } else if (step.sla) {
    const due = d.deps.calendar.addWorkingDays(d.now, step.sla.workingDays);
    const span = due.at.getTime() - d.now.getTime();
    patch.dueAt = due.at.toISOString();
    patch.warnAt = new Date(d.now.getTime() + Math.round(span * SLA_WARNING_FRACTION)).toISOString();
    patch.slaProvisional = due.provisional || undefined;
  }
  d.setStep(name, patch);
  d.emit('step-opened', {
    step: name,
    agency: patch.agency ?? step.agency,
    from: 'pending',
    to: 'open',
    data:
      step.kind === 'applicant' || step.kind === 'timer'
        ? { dueAt: patch.dueAt, kind: step.kind }
        : { dueAt: patch.dueAt },
  });
}

function updateStatus(d: Draft) {
  const { app } = d;
  const states = Object.values(app.steps);
  if (states.some((s) => s.status === 'info-requested')) {
    app.status = 'info-requested';
    return;
  }
  if (!states.every((s) => SETTLED.has(s.status))) {
    app.status = 'in-progress';
    return;
  }
  // Only a caseworker's issued result makes a partial success (not the applicant's own answer).
  const humanDone =
    d.def.partialResults !== false && states.some((s) => s.kind === 'human' && s.status === 'done');
  const anyRejected = states.some((s) => s.status === 'rejected');
  app.status = !anyRejected ? 'completed' : humanDone ? 'partially-completed' : 'rejected';
  app.completedAt = d.nowIso;
  const totalSeconds = seconds(d.now.getTime() - Date.parse(app.createdAt));
  const withinSla = app.dueAt ? d.nowIso <= app.dueAt : undefined;
  d.emit(app.status, { from: 'in-progress', to: app.status, data: { totalSeconds, withinSla } });
}

function requireCaseworkerOf(d: Draft, name: string): StepDefinition {
  const step = d.stepDef(name);
  const { actor, app } = d;
  // a timer step under review (interrupted) is decided like a human step
  const reviewing = step.kind === 'timer' && app.steps[name]?.status === 'claimed';
  if (step.kind !== 'human' && !reviewing) {
    throw new InvalidStateError(t('该环节不由工作人员办理', 'This step is not decided by caseworkers'));
  }
  if (actor.role !== 'caseworker' || actor.agency !== (app.steps[name]?.agency ?? step.agency)) {
    throw new ForbiddenError(t('该环节不属于您的部门', 'This step belongs to another agency'));
  }
  if (step.byTownship && actor.township !== app.township) {
    throw new ForbiddenError(
      t('该申请不属于您所在的乡镇/街道', 'This application belongs to another township'),
    );
  }
  return step;
}

function claim(d: Draft, name: string) {
  const step = requireCaseworkerOf(d, name);
  const state = d.step(name);
  if (state.status === 'claimed') {
    throw new InvalidStateError(
      state.assignee === d.actor.sub
        ? t('您已认领该任务', 'You have already claimed this task')
        : t('该任务已被其他工作人员认领', 'Another caseworker has claimed this task'),
    );
  }
  if (state.status !== 'open') throw notOpen(state);
  d.setStep(name, { status: 'claimed', assignee: d.actor.sub, claimedAt: d.nowIso });
  d.emit('step-claimed', { step: name, agency: step.agency, from: 'open', to: 'claimed' });
}

function unclaim(d: Draft, name: string) {
  const step = requireCaseworkerOf(d, name);
  const state = d.step(name);
  if (state.status !== 'claimed') throw notOpen(state);
  if (state.assignee !== d.actor.sub) {
    throw new ForbiddenError(t('只能释放自己认领的任务', 'You can release only tasks you claimed'));
  }
  d.setStep(name, { status: 'open', assignee: undefined, claimedAt: undefined });
  d.emit('step-unclaimed', { step: name, agency: step.agency, from: 'claimed', to: 'open' });
}

function notOpen(state: StepState) {
  return new InvalidStateError(
    t(`该环节当前状态为「${state.status}」，不能办理`, `The step is ${state.status} and cannot be acted on`),
  );
}

function decide(d: Draft, action: Extract<Action, { type: 'decide' }>) {
  const name = action.step;
  const step = requireCaseworkerOf(d, name);
  const state = d.step(name);
  if (state.status === 'claimed' && state.assignee !== d.actor.sub) {
    throw new InvalidStateError(t('该任务已被其他工作人员认领', 'Another caseworker has claimed this task'));
  }
  if (state.status !== 'open' && state.status !== 'claimed') throw notOpen(state);
  const claimedAt = state.claimedAt ?? d.nowIso;
  const base = { assignee: d.actor.sub, claimedAt, decidedAt: d.nowIso, decidedBy: d.actor.sub };
  const from = state.status;

  if (action.decision === 'approve') {
    let outputs: Record<string, unknown> | undefined = action.outputs;
    if (step.outputs) {
      const parsed = step.outputs.safeParse(action.outputs ?? {});
      if (!parsed.success) {
        throw new ValidationError(
          parsed.error.issues.map((i) => ({
            path: ['outputs', ...i.path.map(String)].join('.'),
            code: i.code,
            message: t(`办理结果字段无效：${i.message}`, `Invalid output: ${i.message}`),
          })),
        );
      }
      outputs = parsed.data;
    }
    d.setStep(name, { ...base, status: 'done', outputs });
    d.emit('step-approved', {
      step: name,
      agency: step.agency,
      from,
      to: 'done',
      data: { ...durations(state, claimedAt, d.now), outputKeys: Object.keys(outputs ?? {}) },
    });
    return;
  }

  if (action.decision === 'reject') {
    const code = action.reason;
    const known = step.rejectReasons ?? {};
    if (!code || (!Object.hasOwn(known, code) && code !== 'other')) {
      throw new ValidationError([
        {
          path: 'reason',
          code: 'invalid_reason',
          message: t(
            `请选择退回原因：${[...Object.keys(known), 'other'].join(', ')}`,
            `Choose a coded reason: ${[...Object.keys(known), 'other'].join(', ')}`,
          ),
        },
      ]);
    }
    if (code === 'other' && !action.note) {
      throw new ValidationError([
        {
          path: 'note',
          code: 'required',
          message: t('选择“其他”时必须说明原因', 'Explain the reason when choosing "other"'),
        },
      ]);
    }
    const text = known[code];
    d.setStep(name, {
      ...base,
      status: 'rejected',
      reason: { code, note: action.note, text: text ? [text] : undefined },
    });
    d.emit('step-rejected', {
      step: name,
      agency: step.agency,
      from,
      to: 'rejected',
      reason: code,
      data: durations(state, claimedAt, d.now),
    });
    return;
  }

  // request-info: the parent corrects named fields; the SLA clock pauses meanwhile.
  const fields = action.fields ?? [];
  if (fields.length === 0) {
    throw new ValidationError([
      { path: 'fields', code: 'required', message: t('请列出需要补正的字段', 'Name the fields to correct') },
    ]);
  }
  const unknown: FieldError[] = fields
    .filter((f) => getPath(d.app.form, f) === undefined)
    .map((f) => ({
      path: `fields.${f}`,
      code: 'request.fieldUnknown',
      message: messages['request.fieldUnknown'],
    }));
  if (unknown.length > 0) throw new ValidationError(unknown);
  d.setStep(name, {
    status: 'info-requested',
    assignee: d.actor.sub,
    claimedAt,
    pausedAt: d.nowIso,
    infoFields: fields,
    infoNote: action.note,
  });
  d.emit('info-requested', { step: name, agency: step.agency, from, to: 'info-requested', data: { fields } });
}

/** Whole milliseconds as seconds: exact in JSON, never float noise like 0.028999999999999984. */
export const seconds = (ms: number) => Math.round(ms) / 1000;

function durations(state: StepState, claimedAt: string, now: Date) {
  const opened = Date.parse(state.openedAt ?? claimedAt);
  const claimed = Date.parse(claimedAt);
  return {
    waitSeconds: seconds(Math.max(0, claimed - opened)),
    workSeconds: seconds(Math.max(0, now.getTime() - claimed - state.pausedMs)),
    pausedSeconds: seconds(state.pausedMs),
    totalSeconds: seconds(now.getTime() - opened),
    withinSla: state.dueAt ? now.toISOString() <= state.dueAt : undefined,
  };
}

function resubmit(d: Draft, form: FormData) {
  const { app, actor, def } = d;
  if (!isFamily(actor, app)) {
    throw new ForbiddenError(t('只有申请人可以补正', 'Only the applicant can resubmit'));
  }
  const asking = Object.values(app.steps).filter((s) => s.status === 'info-requested');
  if (asking.length === 0) {
    throw new InvalidStateError(t('当前没有待补正的事项', 'No information has been requested'));
  }
  const allowed = asking.flatMap((s) => s.infoFields ?? []);
  const changed = diffPaths(app.form, form);
  const notAllowed = changed.filter((p) => !allowed.some((a) => p === a || p.startsWith(`${a}.`)));
  if (notAllowed.length > 0) {
    throw new ValidationError(
      notAllowed.map((path) => ({
        path: `form.${path}`,
        code: 'resubmit.fieldNotRequested',
        message: messages['resubmit.fieldNotRequested'],
      })),
    );
  }
  // The automatic checks must still hold for the corrected form.
  for (const name of def.order) {
    const step = def.steps[name];
    if (step?.kind !== 'auto' || app.steps[name]?.status !== 'done' || !step.run) continue;
    const result = step.run({ form, now: d.now });
    if (result.outcome === 'reject') {
      throw new ValidationError(
        result.reasons.map((text) => ({ path: 'form', code: result.code, message: text })),
      );
    }
  }
  let maxPause = 0;
  for (const s of asking) {
    const pause = d.now.getTime() - Date.parse(s.pausedAt ?? d.nowIso);
    maxPause = Math.max(maxPause, pause);
    d.setStep(s.step, {
      status: s.assignee ? 'claimed' : 'open',
      pausedAt: undefined,
      pausedMs: s.pausedMs + pause,
      dueAt: shift(s.dueAt, pause),
      warnAt: shift(s.warnAt, pause),
      infoFields: undefined,
    });
  }
  app.dueAt = shift(app.dueAt, maxPause);
  app.form = form;
  app.label = def.label(form);
  app.contactEmail = def.contactEmail(form) ?? app.contactEmail;
  Object.assign(app, contactChannels(def, form));
  d.emit('resubmitted', {
    from: 'info-requested',
    to: 'in-progress',
    data: { fields: changed, pausedSeconds: seconds(maxPause) },
  });
}

function shift(iso: string | undefined, ms: number): string | undefined {
  return iso ? new Date(Date.parse(iso) + ms).toISOString() : undefined;
}

function withdraw(d: Draft) {
  const { app, actor } = d;
  if (!isFamily(actor, app)) {
    throw new ForbiddenError(t('只有申请人可以撤回', 'Only the applicant can withdraw'));
  }
  for (const s of Object.values(app.steps)) {
    if (s.status === 'pending' || ACTIVE.has(s.status))
      d.setStep(s.step, { status: 'cancelled', pausedAt: undefined });
  }
  const from = app.status;
  app.status = 'withdrawn';
  app.completedAt = d.nowIso;
  d.emit('withdrawn', { from, to: 'withdrawn' });
}

function timer(d: Draft, name: string) {
  if (d.actor.role !== 'system') throw new ForbiddenError();
  const state = d.step(name);
  const step = d.stepDef(name);
  if (state.status !== 'open' && state.status !== 'claimed') {
    throw new InvalidStateError(t('该环节没有待处理的计时', 'No timer is due on this step'));
  }
  const now = d.nowIso;
  if (step.kind === 'timer' && state.status === 'open') {
    // the timer ran its course without an objection: the step passes
    if (!state.dueAt || now < state.dueAt) {
      throw new InvalidStateError(t('该环节没有到期的计时', 'No timer is due on this step'));
    }
    d.setStep(name, {
      status: 'done',
      decidedAt: now,
      decidedBy: 'system',
      outputs: { endedAt: state.dueAt },
    });
    d.emit('step-approved', {
      step: name,
      agency: step.agency,
      from: 'open',
      to: 'done',
      data: {
        timer: true,
        totalSeconds: seconds(d.now.getTime() - Date.parse(state.openedAt ?? now)),
        withinSla: true,
      },
    });
    return;
  }
  if (step.kind === 'applicant') {
    // The applicant did not answer in time: the step lapses (and whatever it held is freed).
    if (!state.dueAt || now < state.dueAt) {
      throw new InvalidStateError(t('该环节没有到期的计时', 'No timer is due on this step'));
    }
    d.setStep(name, {
      status: 'rejected',
      decidedAt: now,
      decidedBy: 'system',
      reason: { code: 'expired' },
    });
    d.emit('step-expired', {
      step: name,
      from: state.status,
      to: 'rejected',
      reason: 'expired',
      data: { dueAt: state.dueAt, totalSeconds: durations(state, state.openedAt ?? now, d.now).totalSeconds },
    });
    return;
  }
  if (state.dueAt && now >= state.dueAt && !state.breached) {
    d.setStep(name, { breached: true, warned: true });
    d.emit('sla-breached', {
      step: name,
      agency: step.agency,
      data: { dueAt: state.dueAt, assignee: state.assignee },
    });
  } else if (state.warnAt && now >= state.warnAt && !state.warned) {
    d.setStep(name, { warned: true });
    d.emit('sla-warning', { step: name, agency: step.agency, data: { dueAt: state.dueAt } });
  } else {
    throw new InvalidStateError(t('该环节没有到期的计时', 'No timer is due on this step'));
  }
}

function reveal(d: Draft, path: string, reason: string) {
  if (!d.def.sensitivePaths.includes(path)) {
    throw new ValidationError([
      {
        path: 'path',
        code: 'not_sensitive',
        message: t('该字段不是可查看的证件号', 'Not a revealable ID field'),
      },
    ]);
  }
  if (getPath(d.app.form, path) === undefined)
    throw new ValidationError([
      { path: 'path', code: 'absent', message: t('该字段为空', 'The field is empty') },
    ]);
  d.emit('id-revealed', { reason: 'reveal', note: reason, data: { path } });
}

function respond(d: Draft, name: string, response: 'accept' | 'decline', note: string | undefined) {
  const { app, actor } = d;
  const step = d.stepDef(name);
  if (step.kind !== 'applicant') {
    throw new InvalidStateError(t('该环节不需要申请人答复', 'This step does not wait for the applicant'));
  }
  if (!isFamily(actor, app)) {
    throw new ForbiddenError(t('只有申请人可以答复', 'Only the applicant can respond'));
  }
  const state = d.step(name);
  if (state.status !== 'open') throw notOpen(state);
  if (state.dueAt && d.nowIso > state.dueAt) {
    throw new InvalidStateError(t('答复期限已过', 'The deadline to respond has passed'));
  }
  const totalSeconds = seconds(d.now.getTime() - Date.parse(state.openedAt ?? d.nowIso));
  const base = { decidedAt: d.nowIso, decidedBy: actor.sub };
  if (response === 'accept') {
    d.setStep(name, { ...base, status: 'done', outputs: { response } });
    d.emit('step-approved', {
      step: name,
      from: 'open',
      to: 'done',
      data: { response, totalSeconds, withinSla: state.dueAt ? d.nowIso <= state.dueAt : undefined },
    });
    return;
  }
  d.setStep(name, { ...base, status: 'rejected', reason: { code: 'declined', note } });
  d.emit('step-rejected', {
    step: name,
    from: 'open',
    to: 'rejected',
    reason: 'declined',
    data: { response, totalSeconds },
  });
}

/**
 * A caseworker of a timer step's agency stops it before it passes (e.g. an objection to a public
 * notice): the step becomes their review task, due within the step's `sla`.
 */
function interrupt(d: Draft, name: string, reason: string, note: string | undefined) {
  const step = d.stepDef(name);
  const state = d.step(name);
  const { actor, app } = d;
  if (step.kind !== 'timer') {
    throw new InvalidStateError(t('该环节不是计时环节', 'This step is not a timer step'));
  }
  if (actor.role !== 'caseworker' || actor.agency !== (state.agency ?? step.agency)) {
    throw new ForbiddenError(t('该环节不属于您的部门', 'This step belongs to another agency'));
  }
  if (step.byTownship && actor.township !== app.township) {
    throw new ForbiddenError(
      t('该申请不属于您所在的乡镇/街道', 'This application belongs to another township'),
    );
  }
  // Until the sweeper has passed it the step is open: an objection received in the period and
  // recorded at its very end still counts; once passed (done), it is a 409.
  if (state.status !== 'open') throw notOpen(state);
  const patch: Partial<StepState> = {
    status: 'claimed',
    assignee: actor.sub,
    claimedAt: d.nowIso,
    reason: { code: reason, note },
    dueAt: undefined,
    warnAt: undefined,
  };
  if (step.sla) {
    const due = d.deps.calendar.addWorkingDays(d.now, step.sla.workingDays);
    const span = due.at.getTime() - d.now.getTime();
    patch.dueAt = due.at.toISOString();
    patch.warnAt = new Date(d.now.getTime() + Math.round(span * SLA_WARNING_FRACTION)).toISOString();
    patch.slaProvisional = due.provisional || undefined;
  }
  d.setStep(name, patch);
  d.emit('step-interrupted', {
    step: name,
    agency: step.agency,
    from: 'open',
    to: 'claimed',
    reason,
    data: { dueAt: patch.dueAt, endedEarlyAt: d.nowIso, timerDueAt: state.dueAt },
  });
}

function retry(d: Draft, name: string, input: Record<string, unknown> | undefined) {
  if (d.actor.role !== 'system') throw new ForbiddenError();
  const step = d.stepDef(name);
  const state = d.step(name);
  if (step.kind !== 'auto' || state.status !== 'waiting') {
    throw new InvalidStateError(t('该环节不在等待中', 'This step is not waiting'));
  }
  runAuto(d, name, step, 'waiting', input);
}

/** A closed application gives back what it held: waitlist places always, pool places unless it completed. */
function finalize(d: Draft) {
  const { app } = d;
  if (!TERMINAL.has(app.status)) return;
  app.queued = undefined;
  if (app.status !== 'completed') app.holds = undefined;
}

/** The store writes implied by the change from `before` to `after` (same transaction). */
export function effectsOf(
  def: ServiceDefinition,
  before: Application | null,
  after: Application,
  pools?: ReadonlyMap<string, PoolState>,
): StoreEffect[] {
  const effects: StoreEffect[] = [];
  const byKey = <T extends { org: string; pool: string }>(xs: T[] | undefined) =>
    new Map((xs ?? []).map((x) => [poolKey(x), x]));
  const heldBefore = byKey(before?.holds);
  const heldAfter = byKey(after.holds);
  const queuedBefore = byKey(before?.queued);
  const queuedAfter = byKey(after.queued);
  for (const [key, p] of heldAfter) {
    if (heldBefore.has(key)) continue;
    const amount = holdAmount(p);
    const capacity = pools?.get(key)?.capacity;
    if (amount > 1 && capacity === undefined) {
      throw new Error(
        `a take of ${amount} from pool ${key} needs the pool read before the transition (pools(form))`,
      );
    }
    effects.push({
      type: 'take',
      pool: { org: p.org, pool: p.pool },
      amount,
      ...(amount > 1 ? { capacity } : {}),
      fromQueue: queuedBefore.has(key),
    });
  }
  for (const [key, p] of heldBefore) {
    if (!heldAfter.has(key))
      effects.push({ type: 'release', pool: { org: p.org, pool: p.pool }, amount: holdAmount(p) });
  }
  for (const [key, e] of queuedBefore) if (!queuedAfter.has(key)) effects.push({ type: 'leave', entry: e });
  for (const [key, e] of queuedAfter) {
    const old = queuedBefore.get(key);
    if (!old) effects.push({ type: 'join', entry: e, rerank: false });
    else if (old.rank !== e.rank || old.step !== e.step)
      effects.push({ type: 'join', entry: e, rerank: true });
  }
  if (after.status === 'completed' && before?.status !== 'completed') {
    for (const p of heldAfter.values())
      effects.push({ type: 'settle', pool: { org: p.org, pool: p.pool }, amount: holdAmount(p) });
  }
  if (def.unique) {
    const holds = def.unique.heldWhile ?? ((a: Application) => !TERMINAL.has(a.status));
    const wasHeld = before ? holds(before) : false;
    const isHeld = holds(after);
    for (const path of def.unique.paths) {
      const was = wasHeld && before ? getPath(before.form, path) : undefined;
      const is = isHeld ? getPath(after.form, path) : undefined;
      if (was === is) continue;
      if (typeof was === 'string') effects.push({ type: 'unique-release', path, value: was });
      if (typeof is === 'string') effects.push({ type: 'unique-claim', path, value: is });
    }
  }
  return effects;
}

/** The next instant a timer is due on this step, if any (the sweeper's sparse index). */
export function nextTimerAt(state: StepState): string | undefined {
  if (state.status !== 'open' && state.status !== 'claimed') return undefined;
  // applicant deadlines and running timers fire at their due time; reviews warn first
  if (state.kind === 'applicant' || (state.kind === 'timer' && state.status === 'open')) return state.dueAt;
  if (state.kind !== 'human' && state.kind !== 'timer') return state.dueAt;
  if (!state.warned) return state.warnAt;
  if (!state.breached) return state.dueAt;
  return undefined;
}

/** The SMS number and channel choice a form gives (absent when the service declares none). */
function contactChannels(
  def: ServiceDefinition,
  form: FormData,
): Pick<Application, 'contactPhone' | 'channels'> {
  return {
    contactPhone: def.contactPhone?.(form),
    channels: def.notifyChannels?.(form),
  };
}
