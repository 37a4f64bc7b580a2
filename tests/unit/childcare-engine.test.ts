/**
 * The engine extensions the childcare service needs, on a minimal service of their own:
 * applicant steps (respond, deadline, expiry), auto steps that take pool places or wait and are
 * retried, store effects derived from what changed, uniqueness held while open, per-application
 * agencies. Birth registration (no pools) must produce no effects at all.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { WorkingCalendar } from '#core/calendar';
import { caseworkerSteps } from '#core/engine/access';
import { defineService } from '#core/engine/define-service';
import { effectsOf, nextTimerAt, transition } from '#core/engine/transition';
import type { Actor, Application, AutoContext, FormData, PoolState } from '#core/engine/types';
import { ForbiddenError, InvalidStateError } from '#core/errors';
import { t } from '#core/i18n';
import { getService } from '#services/registry';
import { cw } from '../support/actors.ts';
import { birthForm } from '../support/forms.ts';

const now = new Date('2026-11-25T01:00:00Z'); // Wednesday 09:00 China time
let seq = 0;
const deps = (pools: PoolState[] = []) => ({
  calendar: new WorkingCalendar(),
  newEventId: () => `ev-${++seq}`,
  pools: new Map(pools.map((p) => [`${p.org}#${p.pool}`, p])),
});
const parent: Actor = { sub: 'p1', role: 'parent' };
const system: Actor = { sub: 'system', role: 'system' };
const ref = { org: 'org-1', pool: 'p' };
const pool = (over: Partial<PoolState> = {}): PoolState => ({
  ...ref,
  capacity: 1,
  taken: 0,
  waiting: 0,
  settled: 0,
  ...over,
});

/** Takes a place when one is free (and nobody waits), else waits; `ctx.input.promote` forces a try. */
function takeOrWait({ pools }: AutoContext) {
  const p = pools?.get('org-1#p');
  if (p && p.capacity > p.taken && p.waiting === 0)
    return { outcome: 'pass' as const, take: ref, outputs: { org: 'org-1' } };
  return { outcome: 'wait' as const, reason: 'full', queue: [{ pool: ref, rank: 'T1' }] };
}

const svc = defineService({
  id: 'pool-demo',
  title: t('演示', 'Demo'),
  form: z.object({ who: z.string() }) as unknown as z.ZodType<FormData>,
  sla: { workingDays: 10 },
  sensitivePaths: ['who'],
  unique: { paths: ['who'] },
  contactEmail: () => undefined,
  township: () => 'liushi',
  label: () => 'demo',
  pools: () => [ref],
  steps: {
    allocate: { kind: 'auto', title: t('分配', 'Allocate'), run: takeOrWait },
    answer: { kind: 'applicant', title: t('答复', 'Answer'), needs: ['allocate'] },
    confirm: {
      kind: 'human',
      title: t('确认', 'Confirm'),
      agency: 'org',
      agencyOf: (app) => `org:${String(app.steps.allocate?.outputs?.org)}`,
      needs: ['answer'],
    },
  },
});

const submit = (pools: PoolState[] = [pool()]) =>
  transition(svc, null, { type: 'submit', id: 'app-1', form: { who: 'A' } }, parent, now, deps(pools));

describe('engine: pools, applicant steps and effects', () => {
  it('takes a free place on submission, in the same result as a uniqueness claim', () => {
    const r = submit();
    expect(r.app.steps.allocate?.status).toBe('done');
    expect(r.app.holds).toEqual([ref]);
    expect(r.effects).toEqual([
      { type: 'take', pool: ref, amount: 1, fromQueue: false },
      { type: 'unique-claim', path: 'who', value: 'A' },
    ]);
  });

  it('opens the applicant step with a 7-working-day deadline that the sweeper index sees', () => {
    const { app } = submit();
    expect(app.steps.answer).toMatchObject({ status: 'open', dueAt: '2026-12-04T15:59:59.999Z' });
    expect(nextTimerAt(app.steps.answer!)).toBe('2026-12-04T15:59:59.999Z');
  });

  it('waits when no place is free, and a retry that changes nothing produces no events or effects', () => {
    const waiting = submit([pool({ taken: 1 })]);
    expect(waiting.app.status).toBe('in-progress');
    expect(waiting.app.steps.allocate?.status).toBe('waiting');
    expect(waiting.effects).toContainEqual({
      type: 'join',
      entry: { ...ref, rank: 'T1', step: 'allocate' },
      rerank: false,
    });
    const again = transition(
      svc,
      waiting.app,
      { type: 'retry', step: 'allocate' },
      system,
      now,
      deps([pool({ taken: 1, waiting: 1 })]),
    );
    expect(again.events).toEqual([]);
    expect(again.effects).toEqual([]);
    expect(() =>
      transition(svc, waiting.app, { type: 'retry', step: 'allocate' }, parent, now, deps()),
    ).toThrow(ForbiddenError);
  });

  it('takes the place from the waitlist on a retry: the take skips the empty-list condition and leaves the list', () => {
    const waiting = submit([pool({ taken: 1 })]);
    const promoted = transition(
      svc,
      waiting.app,
      { type: 'retry', step: 'allocate', input: { promote: ref } },
      system,
      now,
      deps([pool({ taken: 0, waiting: 0 })]),
    );
    expect(promoted.app.steps.answer?.status).toBe('open');
    expect(promoted.effects).toEqual(
      expect.arrayContaining([
        { type: 'take', pool: ref, amount: 1, fromQueue: true },
        { type: 'leave', entry: { ...ref, rank: 'T1', step: 'allocate' } },
      ]),
    );
  });

  it('releases the place and the uniqueness when the applicant declines; only the applicant may answer', () => {
    const { app } = submit();
    expect(() =>
      transition(
        svc,
        app,
        { type: 'respond', step: 'answer', response: 'accept' },
        { sub: 'p2', role: 'parent' },
        now,
        deps(),
      ),
    ).toThrow(ForbiddenError);
    expect(() =>
      transition(svc, app, { type: 'respond', step: 'confirm', response: 'accept' }, parent, now, deps()),
    ).toThrow(InvalidStateError);
    const declined = transition(
      svc,
      app,
      { type: 'respond', step: 'answer', response: 'decline' },
      parent,
      now,
      deps(),
    );
    expect(declined.app.status).toBe('rejected');
    expect(declined.app.steps.confirm?.status).toBe('skipped');
    expect(declined.app.holds).toBeUndefined();
    expect(declined.effects).toEqual([
      { type: 'release', pool: ref, amount: 1 },
      { type: 'unique-release', path: 'who', value: 'A' },
    ]);
  });

  it('expires the applicant step when the timer runs after the deadline, not before', () => {
    const { app } = submit();
    expect(() =>
      transition(
        svc,
        app,
        { type: 'timer', step: 'answer' },
        system,
        new Date('2026-12-04T15:00:00Z'),
        deps(),
      ),
    ).toThrow(InvalidStateError);
    const lapsed = transition(
      svc,
      app,
      { type: 'timer', step: 'answer' },
      system,
      new Date('2026-12-05T00:00:00Z'),
      deps(),
    );
    expect(lapsed.events.map((e) => e.type)).toEqual(['step-expired', 'step-skipped', 'rejected']);
    expect(lapsed.app.steps.answer?.reason).toEqual({ code: 'expired' });
    expect(lapsed.effects).toContainEqual({ type: 'release', pool: ref, amount: 1 });
  });

  it('routes the human step to the agency chosen for this application and settles the place on completion', () => {
    const { app } = submit();
    const accepted = transition(
      svc,
      app,
      { type: 'respond', step: 'answer', response: 'accept' },
      parent,
      now,
      deps(),
    );
    expect(accepted.app.steps.confirm).toMatchObject({ status: 'open', agency: 'org:org-1' });
    expect(caseworkerSteps(svc, accepted.app, cw('org:org-1'))).toEqual(['confirm']);
    expect(caseworkerSteps(svc, accepted.app, cw('org'))).toEqual([]);
    expect(() =>
      transition(
        svc,
        accepted.app,
        { type: 'decide', step: 'confirm', decision: 'approve' },
        cw('org:other'),
        now,
        deps(),
      ),
    ).toThrow(ForbiddenError);
    const done = transition(
      svc,
      accepted.app,
      { type: 'decide', step: 'confirm', decision: 'approve' },
      cw('org:org-1'),
      now,
      deps(),
    );
    expect(done.app.status).toBe('completed');
    expect(done.app.holds).toEqual([ref]);
    // Completed releases the uniqueness by default (this service does not hold it after completion).
    expect(done.effects).toEqual([
      { type: 'settle', pool: ref, amount: 1 },
      { type: 'unique-release', path: 'who', value: 'A' },
    ]);
  });

  it('moves the uniqueness claim when the value changes', () => {
    const before = { ...submit().app, form: { who: 'A' } } as Application;
    const after = { ...before, form: { who: 'B' } } as Application;
    expect(effectsOf(svc, before, after)).toEqual([
      { type: 'unique-release', path: 'who', value: 'A' },
      { type: 'unique-claim', path: 'who', value: 'B' },
    ]);
  });

  it('gives birth registration (no pools, no uniqueness) no effects', () => {
    const birth = getService('birth-registration');
    const r = transition(
      birth,
      null,
      { type: 'submit', id: 'b-1', form: birthForm(now) as FormData },
      parent,
      now,
      deps(),
    );
    expect(r.effects).toEqual([]);
    const withdrawn = transition(birth, r.app, { type: 'withdraw' }, parent, now, deps());
    expect(withdrawn.effects).toEqual([]);
  });
});
