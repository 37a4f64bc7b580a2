/**
 * The state walk's model (tests/browser/state-walk.test.ts): how to drive a case of each installed
 * service into each state over the HTTP API of the real runtime, and which statuses a service
 * never produces (with the reason). Generic recipes walk a module's step graph from its
 * definition (claim, ask for information, reject, approve or decline whatever opens, withdraw);
 * each service adds what only it has (a valid form, approval outputs, its own states such as a
 * waitlist or an aid plan). A module without a walk here fails the test until it is described.
 */
import { makeIdNumber } from '#core/id-number';
import { getService, modules } from '#services/registry';
import { chinaYear } from '#services/rehab-aid/eligibility';
import type { ApplicationView, AppStatus, StepStatus, StepView } from '../../../web/src/types.ts';
import { birthDeciders } from '../../support/actors.ts';
import { childForm, upcoming } from '../../support/childcare.ts';
import { birthForm, fixtureForm } from '../../support/forms.ts';
import { tokenFor } from './runtime.ts';

export type Claims = {
  sub: string;
  role: 'parent' | 'caseworker' | 'auditor' | 'admin' | 'agent';
  agency?: string;
  township?: string;
  name?: string;
};

/** The API of the running service, with one token per identity. */
export class Api {
  private readonly tokens = new Map<string, Promise<string>>();
  constructor(public url: string) {}

  async call(who: Claims, method: string, path: string, body?: unknown) {
    const key = `${this.url} ${JSON.stringify(who)}`;
    let token = this.tokens.get(key);
    if (!token) {
      token = tokenFor(this.url, who as Record<string, string>);
      this.tokens.set(key, token);
    }
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${await token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  }

  /** The reply's body; anything but 200/201 throws with what the API said. */
  async ok(who: Claims, method: string, path: string, body?: unknown): Promise<any> {
    const r = await this.call(who, method, path, body);
    if (r.status !== 200 && r.status !== 201)
      throw new Error(`${method} ${path} as ${who.sub}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  read(who: Claims, id: string): Promise<ApplicationView> {
    return this.ok(who, 'GET', `/applications/${id}`);
  }
}

export interface WalkContext {
  api: Api;
  /** the applicant of every case of this service (own list page) */
  parent: Claims;
  /** a fresh child number (distinct ID numbers: one open registration per child) */
  child(): number;
  /** ids the service's setup and states share (nurseries, plans, claims) */
  data: Record<string, string>;
}

/** A case in a state: its id, and module facts its pages show (a plan, claims). */
export interface CaseRef {
  appId: string;
  facts?: Record<string, string>;
}

export interface StateSpec {
  /** `<service>/<name>` */
  id: string;
  service: string;
  /** how the state is reached, for the report */
  how: string;
  /** 2: reached after the runtime restarts with its clock moved on (deadlines passed) */
  phase: 1 | 2;
  reach(ctx: WalkContext): Promise<CaseRef>;
  /** phase 2 states: what happens once the clock has moved on (polls until it holds) */
  after?(ctx: WalkContext, ref: CaseRef): Promise<void>;
}

export interface ServiceWalk {
  /** a valid form for the i-th distinct child */
  form(i: number, ctx: WalkContext): Record<string, unknown>;
  /** how each human step is approved: its outputs, or the module's own action (computed outputs) */
  approve: Record<string, { outputs?: Record<string, unknown>; path?: (appId: string) => string }>;
  /** a form path a caseworker may ask the family to correct */
  infoField: string;
  /** statuses the service never produces, each with the reason */
  unreachable: {
    app: Partial<Record<AppStatus, string>>;
    step: Partial<Record<StepStatus, string>>;
  };
  /** reference data the walk needs before any case (nurseries, intakes) */
  setup?(ctx: WalkContext): Promise<void>;
  /** the service's own states beyond the generic recipes */
  extra?: Array<Omit<StateSpec, 'id' | 'service'> & { name: string }>;
}

// ── driving a case ──────────────────────────────────────────────────────────────────────────

type Move = 'approve' | 'reject' | 'claim' | 'info' | 'accept' | 'decline' | 'stop';
/** What to do with the first open step (in the definition's order), given the human moves so far. */
type Policy = (step: StepView, humanMoves: number) => Move;

const TERMINAL = new Set(['completed', 'partially-completed', 'rejected', 'withdrawn']);

/** The caseworker who decides this step of this case (agency, and township for township steps). */
export function deciderOf(app: ApplicationView, step: StepView): Claims {
  const def = getService(app.service).steps[step.step];
  const agency = step.agency ?? def?.agency ?? '';
  const township = def?.byTownship ? (app.township ?? undefined) : undefined;
  return {
    sub: `walk-${agency}${township ? `-${township}` : ''}`.replace(/[^\w.@-]/g, '-'),
    role: 'caseworker',
    agency,
    ...(township ? { township } : {}),
  };
}

export async function submit(ctx: WalkContext, service: string, form: Record<string, unknown>) {
  const app = await ctx.api.ok(ctx.parent, 'POST', '/applications', { service, form });
  return app as ApplicationView;
}

export async function act(ctx: WalkContext, app: ApplicationView, step: StepView, move: Move) {
  const walk = walkOf(app.service);
  const base = `/applications/${app.id}/steps/${step.step}`;
  if (move === 'accept' || move === 'decline') {
    return ctx.api.ok(ctx.parent, 'POST', `${base}/respond`, { response: move });
  }
  const who = deciderOf(app, step);
  if (move === 'claim') return ctx.api.ok(who, 'POST', `${base}/claim`, {});
  if (move === 'info') {
    return ctx.api.ok(who, 'POST', `${base}/decision`, {
      decision: 'request-info',
      fields: [walk.infoField],
      note: '请核对并更正（状态遍历测试）',
    });
  }
  if (move === 'reject') {
    const reasons = Object.keys(getService(app.service).steps[step.step]?.rejectReasons ?? {});
    return ctx.api.ok(who, 'POST', `${base}/decision`, {
      decision: 'reject',
      reason: reasons[0] ?? 'other',
      note: '状态遍历测试',
    });
  }
  const how = walk.approve[step.step];
  if (!how) throw new Error(`${app.service}: no approval described for step ${step.step}`);
  if (how.path) return ctx.api.ok(who, 'POST', how.path(app.id), {});
  return ctx.api.ok(who, 'POST', `${base}/decision`, {
    decision: 'approve',
    ...(how.outputs ? { outputs: how.outputs } : {}),
  });
}

/** Acts on the first open step until the policy stops or the case closes; returns the case. */
export async function drive(ctx: WalkContext, id: string, policy: Policy): Promise<ApplicationView> {
  let humanMoves = 0;
  for (let i = 0; i < 30; i++) {
    const app = await ctx.api.read(ctx.parent, id);
    if (TERMINAL.has(app.status)) return app;
    const step = app.steps.find((s) => s.status === 'open' && (s.kind === 'human' || s.kind === 'applicant'));
    if (!step) return app;
    const move = policy(step, humanMoves);
    if (move === 'stop') return app;
    await act(ctx, app, step, move);
    if (step.kind === 'human') humanMoves++;
  }
  throw new Error(`${id}: the walk did not settle`);
}

/**
 * The generic recipes, walked on every installed service from its step graph. What each reaches
 * depends on the graph (e.g. rejecting everything leaves `rejected`, approving the first human
 * step and rejecting the rest `partially-completed` where a human step can be done beside a
 * rejected one); the test records what each case shows and checks the model covers every status.
 */
export const recipes: Array<{ name: string; how: string; policy: Policy; withdraw?: boolean }> = [
  { name: 'submitted', how: 'submitted, nothing decided', policy: () => 'stop' },
  {
    name: 'claimed',
    how: 'the first human step is claimed (applicant steps accepted on the way)',
    policy: (s, n) => (s.kind === 'applicant' ? 'accept' : n === 0 ? 'claim' : 'stop'),
  },
  {
    name: 'info-requested',
    how: 'the first human step asks the family for a correction',
    policy: (s, n) => (s.kind === 'applicant' ? 'accept' : n === 0 ? 'info' : 'stop'),
  },
  {
    name: 'first-rejected',
    how: 'the first human step is rejected, the rest left as they stand',
    policy: (s, n) => (s.kind === 'applicant' ? 'accept' : n === 0 ? 'reject' : 'stop'),
  },
  {
    name: 'all-approved',
    how: 'every human step approved, every applicant step accepted',
    policy: (s) => (s.kind === 'applicant' ? 'accept' : 'approve'),
  },
  {
    name: 'all-rejected',
    how: 'every human step rejected, every applicant step declined',
    policy: (s) => (s.kind === 'applicant' ? 'decline' : 'reject'),
  },
  {
    name: 'first-approved-rest-rejected',
    how: 'the first human step approved, every later one rejected (applicant steps accepted)',
    policy: (s, n) => (s.kind === 'applicant' ? 'accept' : n === 0 ? 'approve' : 'reject'),
  },
  {
    name: 'withdrawn',
    how: 'submitted, then withdrawn by the family',
    policy: () => 'stop',
    withdraw: true,
  },
];

// ── the services ────────────────────────────────────────────────────────────────────────────

const NURSERY = { open: 'walk-open', full: 'walk-full', round: 'walk-round', expire: 'walk-expire' };
const REHAB_CENTER = 'yq-rehab-center';
const REHAB_MCH = 'yq-mch-rehab';
const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
const health: Claims = { sub: 'walk-health', role: 'caseworker', agency: 'health' };
export const city: Claims = { sub: 'walk-dpf-city', role: 'caseworker', agency: 'dpf-city' };
export const institution = (id: string): Claims => ({
  sub: `walk-rehab-${id}`,
  role: 'caseworker',
  agency: `rehab-institution:${id}`,
});

async function nursery(ctx: WalkContext, id: string, n: number, intake: Record<string, unknown>) {
  await ctx.api.ok(health, 'PUT', `/childcare/nurseries/${id}`, {
    name: { 'zh-CN': `走查托育园${n}`, en: `Walk nursery ${n}` },
    township: 'liushi',
    address: `柳市镇长街 ${n} 号`,
    licenceNumber: `330382TY2026${String(700 + n)}`,
    type: intake.mode === 'round' ? 'public' : 'inclusive',
    places: { toddler: 40 },
  });
  await ctx.api.ok(health, 'PUT', `/childcare/nurseries/${id}/intakes/${upcoming().term}/toddler`, intake);
}

/** Polls until `ok` holds for the case (the sweeper acts on its own schedule). */
async function until(ctx: WalkContext, id: string, ok: (app: ApplicationView) => boolean, what: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const app = await ctx.api.read(ctx.parent, id);
    if (ok(app)) return app;
    if (Date.now() > deadline) throw new Error(`${id}: ${what} did not happen: ${JSON.stringify(app.steps)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const childcareForm = (i: number, preferences: string[]) => {
  const { term, birthDate } = upcoming();
  return childForm(500 + i, { term, birthDate, preferences });
};

/** The rehab fixture for the i-th child (own ID number and the certificate number matching it). */
function rehabForm(i: number, patch: { kind?: string; previous?: string; institution?: string } = {}) {
  const form = fixtureForm('rehab-aid');
  form.application.aidYear = chinaYear(new Date());
  const id = makeIdNumber('330382', form.child.birthDate, String(600 + i).padStart(3, '0'));
  form.disability.certificateNumber = `${id}${String(form.disability.certificateNumber).slice(18)}`;
  form.child.idNumber = id;
  if (patch.kind) form.application.kind = patch.kind;
  if (patch.previous) form.application.previousApplication = patch.previous;
  if (patch.institution) form.rehabilitation.institution = patch.institution;
  return form;
}

const all = (s: StepView) => (s.kind === 'applicant' ? 'accept' : 'approve');

/** A rehab case approved at every level, its institution chosen: an active aid plan. */
async function rehabPlan(ctx: WalkContext, form: Record<string, unknown>, inst: string) {
  const app = await submit(ctx, 'rehab-aid', form);
  await drive(ctx, app.id, all);
  await ctx.api.ok(ctx.parent, 'POST', `/rehab/applications/${app.id}/institution`, { institution: inst });
  return app.id;
}

async function fileClaim(ctx: WalkContext, planId: string, inst: string, amountFen: number) {
  const claim = await ctx.api.ok(institution(inst), 'POST', `/rehab/plans/${planId}/claims`, {
    month: thisMonth(),
    sessions: 4,
    amountFen,
  });
  return claim.claimId as string;
}

export const walks: Record<string, ServiceWalk> = {
  'birth-registration': {
    form: () => birthForm(),
    approve: Object.fromEntries(
      Object.entries(birthDeciders).map(([step, d]) => [step, { outputs: d.outputs }]),
    ),
    infoField: 'contact.email',
    unreachable: {
      app: {},
      step: { waiting: 'no step of the birth application waits on places (the service declares no pools)' },
    },
  },

  'childcare-slot': {
    form: (i) => childcareForm(i, [NURSERY.open]),
    approve: { enrolment: { outputs: {} } },
    infoField: 'contact.email',
    unreachable: {
      app: {
        'partially-completed':
          'one human step only (enrolment): a case ends completed (enrolled) or rejected, never partly',
      },
      step: {},
    },
    async setup(ctx) {
      // the term's round deadline (the seed register opens the round in the background at start)
      const term = upcoming().term;
      let round = await ctx.api.call(health, 'GET', `/childcare/rounds/${term}`);
      for (let i = 0; round.status !== 200 && i < 40; i++) {
        await new Promise((r) => setTimeout(r, 250));
        round = await ctx.api.call(health, 'GET', `/childcare/rounds/${term}`);
      }
      if (round.status !== 200) throw new Error(`no round for ${term}: ${JSON.stringify(round.body)}`);
      await nursery(ctx, NURSERY.open, 1, { capacity: 30, mode: 'rolling' });
      await nursery(ctx, NURSERY.full, 2, { capacity: 1, mode: 'rolling' });
      await nursery(ctx, NURSERY.round, 3, {
        capacity: 3,
        mode: 'round',
        roundDeadline: round.body.deadline,
      });
      await nursery(ctx, NURSERY.expire, 4, { capacity: 5, mode: 'rolling' });
    },
    extra: [
      {
        name: 'offer-accepted',
        how: 'the offered place accepted: the nursery’s enrolment opens',
        phase: 1,
        async reach(ctx) {
          const app = await submit(ctx, 'childcare-slot', childcareForm(ctx.child(), [NURSERY.open]));
          await drive(ctx, app.id, (s) => (s.kind === 'applicant' ? 'accept' : 'stop'));
          return { appId: app.id };
        },
      },
      {
        name: 'waitlisted',
        how: 'registered at a full nursery (its one place offered to an earlier child): on the waitlist',
        phase: 1,
        async reach(ctx) {
          await submit(ctx, 'childcare-slot', childcareForm(ctx.child(), [NURSERY.full]));
          const app = await submit(ctx, 'childcare-slot', childcareForm(ctx.child(), [NURSERY.full]));
          return { appId: app.id };
        },
      },
      {
        name: 'round-pending',
        how: 'registered at a nursery allocating by round, before the round’s deadline',
        phase: 1,
        async reach(ctx) {
          const app = await submit(ctx, 'childcare-slot', childcareForm(ctx.child(), [NURSERY.round]));
          return { appId: app.id };
        },
      },
      {
        name: 'offer-expired',
        how: 'a place offered, not answered; the clock moves past the 7 working days and the sweeper lapses it',
        phase: 2,
        async reach(ctx) {
          const app = await submit(ctx, 'childcare-slot', childcareForm(ctx.child(), [NURSERY.expire]));
          return { appId: app.id };
        },
        async after(ctx, ref) {
          await until(
            ctx,
            ref.appId,
            (a) => a.steps.some((s) => s.step === 'offer' && s.status === 'rejected'),
            'the offer’s expiry',
          );
        },
      },
    ],
  },

  'rehab-aid': {
    form: (i) => rehabForm(i),
    approve: {
      'township-review': { outputs: { familySituation: 'dibao' } },
      'city-review': { outputs: {} },
      assessment: {
        outputs: { assessedLevel: 'moderate', sessionsPerMonth: 12, plan: '助听器调试与言语训练每周三次' },
      },
      // the city approves with the aid standard in force (caps computed, never typed)
      approval: { path: (id) => `/rehab/applications/${id}/approve` },
    },
    infoField: 'guardian.phone',
    unreachable: {
      app: {},
      step: { waiting: 'no step of rehab aid waits on places (the service declares no pools)' },
    },
    extra: [
      {
        name: 'plan-active-claims',
        how: 'approved, institution chosen (active plan); the institution files three claims this month, the city approves one and rejects one (the month’s settlement open)',
        phase: 1,
        async reach(ctx) {
          const planId = await rehabPlan(ctx, rehabForm(ctx.child()), REHAB_CENTER);
          const filed = await fileClaim(ctx, planId, REHAB_CENTER, 30_000);
          const approved = await fileClaim(ctx, planId, REHAB_CENTER, 120_000);
          const rejected = await fileClaim(ctx, planId, REHAB_CENTER, 20_000);
          const decide = `/rehab/plans/${planId}/claims`;
          await ctx.api.ok(city, 'POST', `${decide}/${approved}/decision`, { decision: 'approve' });
          await ctx.api.ok(city, 'POST', `${decide}/${rejected}/decision`, {
            decision: 'reject',
            reason: 'duplicate',
          });
          return { appId: planId, facts: { filed, approved, rejected, institution: REHAB_CENTER } };
        },
      },
      {
        name: 'plan-superseded',
        how: 'an active plan replaced by an approved change-of-institution application (its own plan active at the new institution, one claim approved there)',
        phase: 1,
        async reach(ctx) {
          const child = ctx.child();
          const first = await rehabPlan(ctx, rehabForm(child), REHAB_CENTER);
          const change = await rehabPlan(
            ctx,
            rehabForm(child, { kind: 'change-institution', previous: first, institution: REHAB_MCH }),
            REHAB_MCH,
          );
          const claim = await fileClaim(ctx, change, REHAB_MCH, 50_000);
          await ctx.api.ok(city, 'POST', `/rehab/plans/${change}/claims/${claim}/decision`, {
            decision: 'approve',
          });
          ctx.data.changePlan = change;
          return { appId: first, facts: { supersededBy: change, institution: REHAB_CENTER } };
        },
      },
      {
        name: 'settlements-closed-paid',
        how: 'the clock moves into the next month: the city closes both institutions’ settlements of this month and records one payment',
        phase: 2,
        async reach(ctx) {
          const change = ctx.data.changePlan;
          if (!change) throw new Error('plan-superseded must be reached first');
          return { appId: change, facts: { month: thisMonth(), institution: REHAB_MCH } };
        },
        async after(ctx, ref) {
          const month = ref.facts?.month ?? '';
          for (const inst of [REHAB_CENTER, REHAB_MCH]) {
            await ctx.api.ok(city, 'POST', `/rehab/settlements/${inst}/${month}/close`, {});
          }
          await ctx.api.ok(city, 'POST', `/rehab/settlements/${REHAB_MCH}/${month}/paid`, {
            paymentReference: 'PAY-WALK-0001',
          });
        },
      },
    ],
  },
};

const allowanceForm = (i: number) => {
  const form = fixtureForm('child-living-allowance');
  form.child.idNumber = makeIdNumber('330382', form.child.birthDate, String(700 + i).padStart(3, '0'));
  return form;
};

walks['child-living-allowance'] = {
  form: (i) => allowanceForm(i),
  approve: {
    'township-review': {
      outputs: {
        visitDate: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
        fatherCondition: 'imprisoned',
        motherCondition: 'lost-contact',
        household: 'with-grandparents',
        findings: '入户核实属实（状态遍历测试）',
      },
    },
    // the city confirms with the standard in force (the amount computed, never typed)
    'city-confirmation': { path: (id) => `/child-allowance/applications/${id}/confirm` },
  },
  infoField: 'carer.phone',
  unreachable: {
    app: {
      'partially-completed':
        'one chain of approvals (partialResults: false): a refusal at any level rejects the application',
    },
    step: { waiting: 'no step of the allowance waits on places (the service declares no pools)' },
  },
  extra: [
    {
      name: 'notice-objected',
      how: 'visited; during the 7-day public notice the township records an objection (the notice becomes its review)',
      phase: 1,
      async reach(ctx) {
        const app = await submit(ctx, 'child-living-allowance', allowanceForm(ctx.child()));
        const review = app.steps.find((s) => s.step === 'township-review') as StepView;
        await act(ctx, app, review, 'approve');
        const township = deciderOf(app, review);
        await ctx.api.ok(township, 'POST', `/child-allowance/applications/${app.id}/objection`, {
          note: '村民反映情况（状态遍历测试）',
        });
        return { appId: app.id };
      },
    },
    {
      name: 'confirmed',
      how: 'visited and noticed; the clock moves past the 7 days, the sweeper ends the notice and the city confirms (completed)',
      phase: 2,
      async reach(ctx) {
        const app = await submit(ctx, 'child-living-allowance', allowanceForm(ctx.child()));
        const review = app.steps.find((s) => s.step === 'township-review') as StepView;
        await act(ctx, app, review, 'approve');
        return { appId: app.id };
      },
      async after(ctx, ref) {
        const app = await until(
          ctx,
          ref.appId,
          (a) => a.steps.some((s) => s.step === 'city-confirmation' && s.status === 'open'),
          'the end of the public notice',
        );
        const step = app.steps.find((s) => s.step === 'city-confirmation') as StepView;
        await act(ctx, app, step, 'approve');
      },
    },
  ],
};

export function walkOf(service: string): ServiceWalk {
  const walk = walks[service];
  if (!walk) throw new Error(`no state walk for the installed service ${service}`);
  return walk;
}

/** Every state of every installed service: the generic recipes, then the service's own. */
export function states(): StateSpec[] {
  return modules.flatMap((m) => {
    const service = m.definition.id;
    const walk = walkOf(service);
    const generic: StateSpec[] = recipes.map((r) => ({
      id: `${service}/${r.name}`,
      service,
      how: r.how,
      phase: 1,
      async reach(ctx) {
        const app = await submit(ctx, service, walk.form(ctx.child(), ctx));
        await drive(ctx, app.id, r.policy);
        if (r.withdraw) await ctx.api.ok(ctx.parent, 'POST', `/applications/${app.id}/withdraw`, {});
        return { appId: app.id };
      },
    }));
    const own = (walk.extra ?? []).map(({ name, ...s }) => ({ ...s, id: `${service}/${name}`, service }));
    return [...generic, ...own];
  });
}
