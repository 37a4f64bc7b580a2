import { beforeEach, describe, expect, it } from 'vitest';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import type { Actor } from '#core/engine/types';
import {
  DuplicateApplicationError,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  ValidationError,
} from '#core/errors';
import { renderMail, shouldNotify } from '#core/notifications/templates';
import { childcareSlot } from '#services/childcare-slot/definition';
import { childcareForm } from '#services/childcare-slot/form';
import { mail as childcareMailTexts } from '#services/childcare-slot/mail';
import { checkEligibility, lotteryTicket } from '#services/childcare-slot/rules';
import { admin, cw } from '../support/actors.ts';
import { childForm, nurseryData, TERM, toddlerPool } from '../support/childcare.ts';
import { fixtureForm } from '../support/forms.ts';
import { MemoryRepository } from '../support/memory-repo.ts';

// Wednesday 2026-11-25 09:00 China time; the term starts 2027-03-01.
let now = new Date('2026-11-25T01:00:00Z');
const ROUND_DEADLINE = '2027-01-15T15:59:59.999Z';

function setup(
  pools: Array<{ org: string; capacity: number; round?: boolean }> = [{ org: 'n1', capacity: 2 }],
) {
  let seq = 0;
  const repo = new MemoryRepository();
  for (const p of pools) {
    repo.pools.define({
      org: p.org,
      pool: toddlerPool(),
      capacity: p.capacity,
      data: nurseryData(p.org),
      ...(p.round ? { round: { id: TERM, deadline: ROUND_DEADLINE } } : {}),
    });
  }
  const roundPools = pools.filter((p) => p.round).map((p) => ({ org: p.org, pool: toddlerPool() }));
  if (roundPools.length > 0) {
    repo.pools.defineRound({
      service: 'childcare-slot',
      id: TERM,
      deadline: ROUND_DEADLINE,
      pools: roundPools,
      status: 'open',
    });
  }
  const service = new ApplicationService(repo, {
    clock: { now: () => now },
    ids: { newId: () => `01J${String(++seq).padStart(23, '0')}` },
    calendar: new WorkingCalendar(),
  });
  return { repo, service };
}

const parent = (i: number): Actor => ({ sub: `parent-${i}`, role: 'parent', email: `p${i}@example.com` });
const status = (view: { steps: Array<{ step: string; status: string }> }) =>
  Object.fromEntries(view.steps.map((s) => [s.step, s.status]));

async function register(service: ApplicationService, i: number, opts: Parameters<typeof childForm>[1] = {}) {
  const { view } = await service.submit(parent(i), {
    service: 'childcare-slot',
    form: childForm(i, { preferences: ['n1'], ...opts }),
  });
  return view;
}

const pool = (repo: MemoryRepository, org = 'n1') => repo.pools.states.get(`${org}#${toddlerPool()}`)!;

describe('childcare-slot: eligibility', () => {
  beforeEach(() => {
    now = new Date('2026-11-25T01:00:00Z');
  });

  it('accepts the fixture form as a valid example', () => {
    const parsed = childcareForm.safeParse(fixtureForm('childcare-slot'));
    expect(parsed.success).toBe(true);
    const pools = new Map(
      ['liushi-puhui', 'liushi-gongban', 'liushi-beibei'].map((org) => [
        `${org}#${toddlerPool()}`,
        { org, pool: toddlerPool(), capacity: 10, taken: 0, waiting: 0, settled: 0 },
      ]),
    );
    expect(checkEligibility({ form: parsed.data as never, now, pools })).toEqual([]);
  });

  it('refuses a child too young at the start of the term with a 400 naming the field and the reason, storing nothing', async () => {
    const { service, repo } = setup();
    const err = await register(service, 1, { birthDate: '2026-10-15' }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.fields).toHaveLength(1);
    expect(err.fields[0]).toMatchObject({ path: 'form.child.birthDate', code: 'childcare.age.tooYoung' });
    expect(err.fields[0].message.en).toContain('4 months old, under 6 months');
    expect(err.fields[0].message['zh-CN']).toContain('未满 6 个月');
    expect(repo.apps.size).toBe(0);
  });

  it('refuses a child aged 3 or more at the start of the term', async () => {
    const { service } = setup();
    const err = await register(service, 2, { birthDate: '2023-12-01' }).catch((e) => e);
    expect(err.fields[0]).toMatchObject({ path: 'form.child.birthDate', code: 'childcare.age.tooOld' });
    expect(err.fields[0].message.en).toContain('39 months old');
  });

  it('refuses a preference without an intake for the child’s class, naming which one', async () => {
    const { service } = setup();
    const err = await register(service, 3, { preferences: ['n1', 'nowhere'] }).catch((e) => e);
    expect(err.fields).toEqual([
      expect.objectContaining({ path: 'form.preferences.1', code: 'childcare.nursery.noIntake' }),
    ]);
  });

  it('refuses a birth date that differs from the ID number and a both-working claim with one guardian', async () => {
    const { service } = setup();
    const form = childForm(4, { preferences: ['n1'], priority: ['both-working'] });
    form.child.birthDate = '2025-09-16';
    delete form.guardians.second;
    const err = await service.submit(parent(4), { service: 'childcare-slot', form }).catch((e) => e);
    expect(err.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'form.child.birthDate',
      'form.priority.0',
    ]);
  });
});

describe('childcare-slot: rolling allocation, offers and the waitlist', () => {
  beforeEach(() => {
    now = new Date('2026-11-25T01:00:00Z');
  });

  it('offers places at once while there are free places, then waitlists in arrival order with visible positions', async () => {
    const { service, repo } = setup([{ org: 'n1', capacity: 2 }]);
    const a = await register(service, 1);
    const b = await register(service, 2);
    const c = await register(service, 3);
    const d = await register(service, 4);
    expect(status(a)).toEqual({ allocate: 'done', offer: 'open', enrolment: 'pending' });
    expect(status(b).offer).toBe('open');
    expect(status(c)).toEqual({ allocate: 'waiting', offer: 'pending', enrolment: 'pending' });
    expect(pool(repo)).toMatchObject({ capacity: 2, taken: 2, waiting: 2 });
    // The offer lapses at the end of the 7th working day: Friday 4 December (China time).
    expect(a.steps.find((s) => s.step === 'offer')?.dueAt).toBe('2026-12-04T15:59:59.999Z');
    expect(a.steps[0]?.outputs).toMatchObject({
      nurseryId: 'n1',
      class: 'toddler',
      preference: 1,
      via: 'arrival',
    });
    expect((await service.get(parent(3), c.id)).waitlist).toEqual([
      expect.objectContaining({ org: 'n1', position: 1, length: 2, pending: false }),
    ]);
    expect((await service.get(parent(4), d.id)).waitlist?.[0]?.position).toBe(2);
  });

  it('takes the first preference with a free place, and waits on all of them when none has one', async () => {
    const { service, repo } = setup([
      { org: 'n1', capacity: 1 },
      { org: 'n2', capacity: 1 },
    ]);
    await register(service, 1, { preferences: ['n1', 'n2'] });
    const second = await register(service, 2, { preferences: ['n1', 'n2'] });
    expect(second.steps[0]?.outputs).toMatchObject({ nurseryId: 'n2', preference: 2 });
    const third = await register(service, 3, { preferences: ['n2', 'n1'] });
    expect(status(third).allocate).toBe('waiting');
    expect(repo.pools.entries.size).toBe(2);
  });

  it('gives a declined place to the head of the waitlist within one sweeper run, not to a newcomer', async () => {
    const { service, repo } = setup([{ org: 'n1', capacity: 1 }]);
    const a = await register(service, 1);
    const b = await register(service, 2);
    const declined = await service.respond(parent(1), a.id, 'offer', 'decline');
    expect(declined.status).toBe('rejected');
    expect(pool(repo)).toMatchObject({ taken: 0, waiting: 1 });
    // A newcomer arriving before the sweeper runs queues behind b rather than taking the place.
    const late = await register(service, 3);
    expect(status(late).allocate).toBe('waiting');
    const swept = await service.sweep();
    expect(swept.promoted).toBe(1);
    const promoted = await service.get(parent(2), b.id);
    expect(status(promoted)).toMatchObject({ allocate: 'done', offer: 'open' });
    expect(promoted.steps[0]?.outputs).toMatchObject({ via: 'waitlist' });
    expect(promoted.waitlist).toBeUndefined();
    expect((await service.get(parent(3), late.id)).waitlist?.[0]?.position).toBe(1);
    expect(pool(repo)).toMatchObject({ taken: 1, waiting: 1 });
  });

  it('expires an unanswered offer after 7 working days and moves the waitlist up in the same sweep', async () => {
    const { service, repo } = setup([{ org: 'n1', capacity: 1 }]);
    const a = await register(service, 1);
    const b = await register(service, 2);
    now = new Date('2026-12-04T15:00:00Z'); // still Friday in China: not yet due
    expect((await service.sweep()).applied).toBe(0);
    now = new Date('2026-12-05T01:00:00Z');
    const swept = await service.sweep();
    expect(swept).toMatchObject({ applied: 1, promoted: 1 });
    const expired = await service.get(parent(1), a.id);
    expect(expired.status).toBe('rejected');
    expect(expired.steps.find((s) => s.step === 'offer')).toMatchObject({
      status: 'rejected',
      reason: { code: 'expired' },
    });
    expect(status(await service.get(parent(2), b.id)).offer).toBe('open');
    expect(pool(repo)).toMatchObject({ taken: 1, waiting: 0 });
    expect(repo.events.filter((e) => e.appId === a.id).map((e) => e.type)).toContain('step-expired');
  });

  it('lets only the applicant answer, and only before the deadline', async () => {
    const { service } = setup([{ org: 'n1', capacity: 1 }]);
    const a = await register(service, 1);
    await expect(service.respond(parent(2), a.id, 'offer', 'accept')).rejects.toThrow();
    // A caseworker cannot read the application before it reaches the nursery: 404, like any stranger.
    await expect(service.respond(cw('nursery:n1'), a.id, 'offer', 'accept')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    now = new Date('2026-12-05T01:00:00Z');
    await expect(service.respond(parent(1), a.id, 'offer', 'accept')).rejects.toBeInstanceOf(
      InvalidStateError,
    );
  });

  it('enrols after acceptance once the offered nursery confirms; other nurseries cannot', async () => {
    const { service, repo } = setup([
      { org: 'n1', capacity: 1 },
      { org: 'n2', capacity: 1 },
    ]);
    const a = await register(service, 1);
    const accepted = await service.respond(parent(1), a.id, 'offer', 'accept');
    expect(accepted.steps.find((s) => s.step === 'enrolment')).toMatchObject({
      status: 'open',
      agency: 'nursery:n1',
    });
    expect((await service.queue(cw('nursery:n1'), { status: 'open' })).map((t) => t.appId)).toEqual([a.id]);
    await expect(
      service.decide(cw('nursery:n2'), a.id, 'enrolment', { decision: 'approve' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.respond(cw('nursery:n1'), a.id, 'offer', 'decline')).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const enrolled = await service.decide(cw('nursery:n1'), a.id, 'enrolment', {
      decision: 'approve',
      outputs: { startDate: '2027-03-01' },
    });
    expect(enrolled.status).toBe('completed');
    expect(pool(repo)).toMatchObject({ taken: 1, settled: 1 });
  });

  it('frees the place when the nursery refuses enrolment', async () => {
    const { service, repo } = setup([{ org: 'n1', capacity: 1 }]);
    const a = await register(service, 1);
    await service.respond(parent(1), a.id, 'offer', 'accept');
    const refused = await service.decide(cw('nursery:n1'), a.id, 'enrolment', {
      decision: 'reject',
      reason: 'priority-unproven',
    });
    expect(refused.status).toBe('rejected');
    expect(pool(repo)).toMatchObject({ taken: 0 });
  });
});

describe('childcare-slot: one registration or place per child', () => {
  beforeEach(() => {
    now = new Date('2026-11-25T01:00:00Z');
  });

  it('refuses a second open registration for the same child, found by ID number', async () => {
    const { service, repo } = setup([{ org: 'n1', capacity: 1 }]);
    await register(service, 1);
    const again = childForm(1, { preferences: ['n1'] });
    again.child.name = '换了名字';
    const err = await service.submit(parent(9), { service: 'childcare-slot', form: again }).catch((e) => e);
    expect(err).toBeInstanceOf(DuplicateApplicationError);
    expect(repo.apps.size).toBe(1);
    expect(pool(repo).taken).toBe(1);
  });

  it('refuses a new registration while the child holds a place, and allows one after a withdrawal', async () => {
    const { service, repo } = setup([{ org: 'n1', capacity: 2 }]);
    const a = await register(service, 1);
    await service.respond(parent(1), a.id, 'offer', 'accept');
    await service.decide(cw('nursery:n1'), a.id, 'enrolment', { decision: 'approve' });
    await expect(register(service, 1)).rejects.toBeInstanceOf(DuplicateApplicationError);

    const b = await register(service, 2);
    expect(pool(repo).taken).toBe(2);
    await service.withdraw(parent(2), b.id);
    expect(pool(repo)).toMatchObject({ taken: 1, settled: 1 });
    expect(repo.pools.due.size).toBe(1);
    expect(status(await register(service, 2)).offer).toBe('open');
  });
});

describe('childcare-slot: round allocation', () => {
  const afterDeadline = new Date('2027-01-16T01:00:00Z');

  /** Six families: two with priority, four to be ordered by the lottery; n1 has 2 places, n2 has 1. */
  async function scenario(seed: string) {
    now = new Date('2026-11-25T01:00:00Z');
    const ctx = setup([
      { org: 'n1', capacity: 2, round: true },
      { org: 'n2', capacity: 1, round: true },
    ]);
    const views = [
      await register(ctx.service, 0, { preferences: ['n1', 'n2'] }),
      await register(ctx.service, 1, { preferences: ['n1', 'n2'], priority: ['low-income'] }),
      await register(ctx.service, 2, { preferences: ['n2', 'n1'] }),
      await register(ctx.service, 3, { preferences: ['n1', 'n2'], priority: ['armed-forces'] }),
      await register(ctx.service, 4, { preferences: ['n1', 'n2'] }),
      await register(ctx.service, 5, { preferences: ['n1'] }),
    ];
    now = afterDeadline;
    const round = await ctx.service.allocateRound(admin, 'childcare-slot', TERM, { seed });
    const placed: Record<number, string | null> = {};
    for (const [i, v] of views.entries()) {
      const app = await ctx.service.get(parent(i), v.id);
      placed[i] = app.steps[0]?.status === 'done' ? String(app.steps[0].outputs?.nurseryId) : null;
    }
    return { ...ctx, views, round, placed };
  }

  it('waits for the draw until the deadline, showing the registration as pending', async () => {
    now = new Date('2026-11-25T01:00:00Z');
    const { service } = setup([{ org: 'n1', capacity: 5, round: true }]);
    const a = await register(service, 1);
    expect(status(a).allocate).toBe('waiting');
    expect((await service.get(parent(1), a.id)).waitlist).toEqual([
      expect.objectContaining({
        pending: true,
        position: null,
        round: { id: TERM, deadline: ROUND_DEADLINE },
      }),
    ]);
    await expect(
      service.allocateRound(admin, 'childcare-slot', TERM, { seed: 'too-early' }),
    ).rejects.toBeInstanceOf(InvalidStateError);
  });

  it('ranks by priority points, then by the seeded lottery, and fills preferences in order', async () => {
    const seed = 'audit-seed-2027-03';
    const { placed, round, service, views } = await scenario(seed);
    expect(round).toMatchObject({ status: 'allocated', seed, entrants: 6, placed: 3 });
    // Priority first: armed forces (4 points) and low income (3) get their first choice, n1.
    expect(placed[3]).toBe('n1');
    expect(placed[1]).toBe('n1');
    // n2's single place goes to the best lottery ticket among the zero-point families who want it
    // (all of 0, 2, 4 list it; 5 wants only n1, which is full by then).
    const zeroPoint = [0, 2, 4, 5].sort((x, y) =>
      lotteryTicket(seed, views[x]!.id).localeCompare(lotteryTicket(seed, views[y]!.id)),
    );
    const winner = zeroPoint.find((i) => i !== 5)!;
    expect(placed[winner]).toBe('n2');
    expect(Object.values(placed).filter((p) => p !== null)).toHaveLength(3);
    // The rest wait in draw order.
    const losers = zeroPoint.filter((i) => i !== winner);
    const positions = await Promise.all(
      losers.map(async (i) => (await service.get(parent(i), views[i]!.id)).waitlist),
    );
    const onN1 = positions.map((w) => w?.find((e) => e.org === 'n1')?.position);
    expect(onN1).toEqual([1, 2, 3]);
  });

  it('gives the same result twice for the same seed', async () => {
    const first = await scenario('fixed-seed-1');
    const second = await scenario('fixed-seed-1');
    expect(second.placed).toEqual(first.placed);
    expect([...second.repo.pools.entries.values()].map((e) => e.entry.rank).sort()).toEqual(
      [...first.repo.pools.entries.values()].map((e) => e.entry.rank).sort(),
    );
  });

  it('puts registrations made after the deadline behind every entrant of the round', async () => {
    now = new Date('2026-11-25T01:00:00Z');
    const { service } = setup([{ org: 'n1', capacity: 1, round: true }]);
    await register(service, 1);
    await register(service, 2);
    now = new Date('2027-01-16T00:00:00Z');
    const late = await register(service, 3);
    await service.allocateRound(admin, 'childcare-slot', TERM, { seed: 'late-seed-123' });
    const view = await service.get(parent(3), late.id);
    expect(view.waitlist?.[0]).toMatchObject({ position: 2, length: 2, pending: false });
  });
});

describe('childcare-slot: e-mails', () => {
  beforeEach(() => {
    now = new Date('2026-11-25T01:00:00Z');
  });

  it('mails the offer with its deadline and the waitlist in zh-CN and en', async () => {
    const { service, repo } = setup([{ org: 'n1', capacity: 1 }]);
    const a = await register(service, 1);
    const b = await register(service, 2);
    const appA = (await repo.get(a.id))!;
    const offered = repo.events.find(
      (e) => e.appId === a.id && e.type === 'step-opened' && e.step === 'offer',
    )!;
    expect(shouldNotify(offered)).toBe(true);
    const mail = renderMail(childcareSlot, appA, offered, 'http://127.0.0.1:3000', childcareMailTexts);
    expect(mail.subject).toContain('获得托位，请确认');
    expect(mail.subject).toContain('a place is offered');
    expect(mail.text).toContain('2026-12-04 23:59');
    expect(mail.text).toContain('n1 托育园托小班');
    expect(mail.text).not.toContain(childForm(1).child.idNumber);
    const waiting = repo.events.find((e) => e.appId === b.id && e.type === 'step-waiting')!;
    expect(shouldNotify(waiting)).toBe(true);
    expect(
      renderMail(childcareSlot, (await repo.get(b.id))!, waiting, '', childcareMailTexts).subject,
    ).toContain('已进入候补名单');
    const auto = repo.events.find((e) => e.appId === a.id && e.type === 'step-approved')!;
    expect(shouldNotify(auto)).toBe(false);
  });
});
