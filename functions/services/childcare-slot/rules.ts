/**
 * The pure rules of childcare-place registration: eligibility at submission (age at the start of
 * the term, term, residence, the nurseries' intakes), allocation of a place as an auto step
 * (rolling: at once while places are free, else the waitlist; round: by rank after the deadline)
 * and the round's ranking (priority points, then a lottery seeded and recorded for audit).
 */
import { createHmac } from 'node:crypto';
import {
  ageInMonths,
  classFor,
  className,
  intakePool,
  MAX_AGE_MONTHS,
  MIN_AGE_MONTHS,
  termStart,
} from '#services/childcare-slot/classes';
import { type ChildcareForm, priorityPoints } from '#services/childcare-slot/form';
import { chinaDate } from '../../core/calendar.ts';
import type {
  Application,
  AutoContext,
  AutoResult,
  FormData,
  PoolRef,
  PoolState,
  QueueEntry,
} from '../../core/engine/types.ts';
import { poolKey } from '../../core/engine/types.ts';
import type { FieldError } from '../../core/errors.ts';
import { t } from '../../core/i18n.ts';

/** How far ahead a family may register (months from now to the start of the term). */
export const MAX_MONTHS_AHEAD = 18;

/** A stored application's form (applications hold forms of any service). */
const asForm = (form: FormData) => form as ChildcareForm;

/** The intake pools of the child's preferences, in order (none when the age fits no class). */
export function preferencePools(form: ChildcareForm): PoolRef[] {
  const f = form;
  const cls = classFor(f.child.birthDate, f.term);
  return cls ? f.preferences.map((org) => ({ org, pool: intakePool(f.term, cls.id) })) : [];
}

/** Refusals with field errors (400): nothing is stored for an ineligible registration. */
export function checkEligibility({
  form,
  now,
  pools,
}: {
  form: ChildcareForm;
  now: Date;
  pools: ReadonlyMap<string, PoolState>;
}): FieldError[] {
  const f = form;
  const errors: FieldError[] = [];
  const start = termStart(f.term);
  const today = chinaDate(now);
  if (start <= today) {
    errors.push({
      path: 'form.term',
      code: 'childcare.term.started',
      message: t(
        `入托学期 ${f.term} 已开始，请选择以后的学期`,
        `The term ${f.term} has begun; choose a later term`,
      ),
    });
  } else if (ageInMonths(today, start) > MAX_MONTHS_AHEAD) {
    errors.push({
      path: 'form.term',
      code: 'childcare.term.tooFar',
      message: t(
        `最多提前 ${MAX_MONTHS_AHEAD} 个月登记`,
        `Registration opens at most ${MAX_MONTHS_AHEAD} months before the term`,
      ),
    });
  }
  const months = ageInMonths(f.child.birthDate, start);
  if (f.child.birthDate > today) {
    errors.push({
      path: 'form.child.birthDate',
      code: 'date.future',
      message: t('出生日期不能晚于今天', 'The birth date cannot be in the future'),
    });
  } else if (months < MIN_AGE_MONTHS) {
    errors.push({
      path: 'form.child.birthDate',
      code: 'childcare.age.tooYoung',
      message: t(
        `入托学期开始时（${start}）孩子为 ${Math.max(0, months)} 个月，未满 ${MIN_AGE_MONTHS} 个月：托育机构最早收 6 个月的乳儿班`,
        `On the first day of the term (${start}) the child is ${Math.max(0, months)} months old, under ${MIN_AGE_MONTHS} months: nurseries take children from 6 months (infant class)`,
      ),
    });
  } else if (months >= MAX_AGE_MONTHS) {
    errors.push({
      path: 'form.child.birthDate',
      code: 'childcare.age.tooOld',
      message: t(
        `入托学期开始时（${start}）孩子为 ${months} 个月，已满 3 周岁：请报名幼儿园`,
        `On the first day of the term (${start}) the child is ${months} months old, 3 years or older: please apply to a kindergarten`,
      ),
    });
  }
  if (
    f.residence.type === 'residence-permit' &&
    f.residence.permitValidUntil &&
    f.residence.permitValidUntil < start
  ) {
    errors.push({
      path: 'form.residence.permitValidUntil',
      code: 'childcare.residence.permitExpires',
      message: t(
        `居住证在入托学期开始（${start}）前到期，请先续签`,
        `The residence permit expires before the term starts (${start}); renew it first`,
      ),
    });
  }
  const cls = classFor(f.child.birthDate, f.term);
  if (cls && errors.length === 0) {
    f.preferences.forEach((org, i) => {
      if (!pools.has(poolKey({ org, pool: intakePool(f.term, cls.id) }))) {
        errors.push({
          path: `form.preferences.${i}`,
          code: 'childcare.nursery.noIntake',
          message: t(
            `托育机构 ${org} 在 ${f.term} 学期没有${cls.name['zh-CN']}招生`,
            `Nursery ${org} has no ${cls.name.en.toLowerCase()} intake in ${f.term}`,
          ),
        });
      }
    });
  }
  return errors;
}

const free = (s: PoolState | undefined) => (s ? s.capacity - s.taken : 0);
const drawPending = (s: PoolState) => !!s.round && !s.round.allocatedAt;

function offer(
  f: ChildcareForm,
  ref: PoolRef,
  state: PoolState | undefined,
  via: 'arrival' | 'waitlist' | 'round',
  extra: Record<string, unknown> = {},
): AutoResult {
  const classId = ref.pool.split('#')[1] ?? '';
  return {
    outcome: 'pass',
    take: ref,
    outputs: {
      nurseryId: ref.org,
      nurseryName: state?.data?.nurseryName,
      term: f.term,
      class: classId,
      className: className(classId),
      preference: f.preferences.indexOf(ref.org) + 1,
      via,
      ...extra,
    },
  };
}

/**
 * The waitlist ranks, lowest first: `T<time>` first come first served (rolling); `P<time>` a
 * round's entrant before the draw; `R<rank>` after it, in draw order; `Z<time>` registrations
 * that came after a round's deadline, behind everyone who entered it.
 */
function rankOn(state: PoolState, createdAt: string): string {
  if (!state.round) return `T${createdAt}`;
  if (!state.round.allocatedAt && createdAt <= state.round.deadline) return `P${createdAt}`;
  return `Z${createdAt}`;
}

function waitOn(
  prefs: PoolRef[],
  pools: ReadonlyMap<string, PoolState>,
  app: Application | undefined,
  createdAt: string,
  rerank?: (entry: QueueEntry | undefined, state: PoolState) => string | undefined,
  outputs?: Record<string, unknown>,
): AutoResult {
  const queue: Array<{ pool: PoolRef; rank: string }> = [];
  for (const ref of prefs) {
    const state = pools.get(poolKey(ref));
    if (!state) continue;
    const current = app?.queued?.find((e) => poolKey(e) === poolKey(ref));
    const rank = rerank?.(current, state) ?? current?.rank ?? rankOn(state, createdAt);
    queue.push({ pool: ref, rank });
  }
  const pending = queue.some((q) => q.rank.startsWith('P'));
  return {
    outcome: 'wait',
    reason: pending ? 'round-pending' : 'waitlisted',
    queue,
    ...(outputs ? { outputs } : {}),
  };
}

/**
 * The `allocate` auto step. On arrival: the first preference (in order) with a free place and no
 * waitlist is offered at once; a preference drawn by a round that this registration entered stops
 * the search (it waits for the draw rather than settle for a lower preference). Otherwise it waits
 * on every preference's list. Retried by the sweeper (`promote`: a freed place on one pool) and by
 * a round (`round`: the placement the draw gave it).
 */
export function allocate({
  form,
  now,
  app,
  pools = new Map(),
  input,
}: AutoContext<ChildcareForm>): AutoResult {
  const f = form;
  const prefs = preferencePools(form);
  if (prefs.length === 0) {
    return {
      outcome: 'reject',
      code: 'age-ineligible',
      reasons: [t('孩子的年龄不符合任何托育班级', "The child's age fits no nursery class")],
    };
  }
  const createdAt = app?.createdAt ?? now.toISOString();

  const round = input?.round as string | undefined;
  if (round) {
    const placement = input?.placement as PoolRef | null | undefined;
    const drawn = { round, rank: input?.rank, points: input?.points, ticket: input?.ticket };
    if (placement && free(pools.get(poolKey(placement))) > 0) {
      return offer(f, placement, pools.get(poolKey(placement)), 'round', drawn);
    }
    const rank = `R${String(input?.rank ?? 0).padStart(6, '0')}`;
    return waitOn(
      prefs,
      pools,
      app,
      createdAt,
      (e, s) => (s.round?.id === round && (!e || e.rank.startsWith('P')) ? rank : undefined),
      drawn,
    );
  }

  const promote = input?.promote as PoolRef | undefined;
  if (promote) {
    const ref = prefs.find((p) => poolKey(p) === poolKey(promote));
    const state = ref ? pools.get(poolKey(ref)) : undefined;
    if (ref && state && !drawPending(state) && free(state) > 0) {
      const rank = app?.queued?.find((e) => poolKey(e) === poolKey(ref))?.rank;
      return offer(f, ref, state, 'waitlist', rank?.startsWith('R') ? { rank: Number(rank.slice(1)) } : {});
    }
    return waitOn(prefs, pools, app, createdAt, undefined, app?.steps.allocate?.outputs);
  }

  for (const ref of prefs) {
    const state = pools.get(poolKey(ref));
    if (!state) continue;
    if (drawPending(state)) {
      if (createdAt <= (state.round?.deadline ?? '')) break;
      continue;
    }
    if (free(state) > 0 && state.waiting === 0) return offer(f, ref, state, 'arrival');
  }
  return waitOn(prefs, pools, app, createdAt, undefined, app?.steps.allocate?.outputs);
}

/** The lottery ticket of an application in a round: HMAC-SHA256(seed, application id), hex. */
export const lotteryTicket = (seed: string, appId: string): string =>
  createHmac('sha256', seed).update(appId).digest('hex');

/**
 * A round's draw: entrants ordered by priority points (highest first), then by lottery ticket
 * (lowest first); each in turn gets the first of its preferences in this round that still has a
 * place (serial dictatorship). Deterministic for a given seed and set of entrants.
 */
export function planRound({
  roundId,
  seed,
  entrants,
  pools,
}: {
  roundId: string;
  seed: string;
  entrants: Application[];
  pools: ReadonlyMap<string, PoolState>;
}): Array<{ appId: string; step: string; input: Record<string, unknown> }> {
  const ranked = entrants
    .map((app) => ({
      app,
      points: priorityPoints(asForm(app.form).priority ?? []),
      ticket: lotteryTicket(seed, app.id),
    }))
    .sort(
      (a, b) => b.points - a.points || a.ticket.localeCompare(b.ticket) || a.app.id.localeCompare(b.app.id),
    );
  const left = new Map([...pools].map(([k, s]) => [k, s.round?.id === roundId ? free(s) : 0]));
  return ranked.map(({ app, points, ticket }, i) => {
    const placement =
      preferencePools(asForm(app.form)).find((ref) => (left.get(poolKey(ref)) ?? 0) > 0) ?? null;
    if (placement) left.set(poolKey(placement), (left.get(poolKey(placement)) ?? 0) - 1);
    return {
      appId: app.id,
      step: 'allocate',
      input: { round: roundId, placement, rank: i + 1, points, ticket },
    };
  });
}
