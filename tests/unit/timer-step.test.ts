/**
 * The engine's timer steps, on a minimal service of their own: a step that passes by itself a
 * number of calendar days after it opens (e.g. a 7-day public notice), unless a caseworker of its
 * agency interrupts it (an objection), which turns it into their review with its own SLA; and
 * services whose steps are one chain, where a refusal rejects the application.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { WorkingCalendar } from '#core/calendar';
import { caseworkerSteps } from '#core/engine/access';
import { defineService } from '#core/engine/define-service';
import { nextTimerAt, transition } from '#core/engine/transition';
import type { Actor, Application, FormData } from '#core/engine/types';
import { ForbiddenError, InvalidStateError } from '#core/errors';
import { t } from '#core/i18n';

const opened = new Date('2026-12-04T02:00:00Z'); // a Friday: the notice runs over the weekend
let seq = 0;
const deps = { calendar: new WorkingCalendar(), newEventId: () => `ev-${++seq}` };
const parent: Actor = { sub: 'p1', role: 'parent' };
const system: Actor = { sub: 'system', role: 'system' };
const township: Actor = { sub: 'cw-1', role: 'caseworker', agency: 'town', township: 'liushi' };
const elsewhere: Actor = { sub: 'cw-2', role: 'caseworker', agency: 'town', township: 'lecheng' };
const city: Actor = { sub: 'cw-3', role: 'caseworker', agency: 'city' };

const svc = defineService({
  id: 'notice-demo',
  title: t('演示', 'Demo'),
  form: z.object({ who: z.string() }) as unknown as z.ZodType<FormData>,
  sla: { workingDays: 20 },
  sensitivePaths: [],
  partialResults: false,
  contactEmail: () => undefined,
  township: () => 'liushi',
  label: () => 'demo',
  steps: {
    review: { kind: 'human', title: t('初审', 'Review'), agency: 'town', byTownship: true },
    notice: {
      kind: 'timer',
      title: t('公示', 'Notice'),
      agency: 'town',
      byTownship: true,
      needs: ['review'],
      timer: { days: 7 },
      sla: { workingDays: 5 },
      rejectReasons: { upheld: t('异议成立', 'Objection upheld') },
    },
    confirm: { kind: 'human', title: t('确认', 'Confirm'), agency: 'city', needs: ['notice'] },
  },
});

const at = (iso: string) => new Date(iso);

function noticeOpen(): Application {
  const submitted = transition(
    svc,
    null,
    { type: 'submit', id: 'A1', form: { who: 'x' } },
    parent,
    at('2026-12-01T02:00:00Z'),
    deps,
  ).app;
  return transition(
    svc,
    submitted,
    { type: 'decide', step: 'review', decision: 'approve' },
    township,
    opened,
    deps,
  ).app;
}

describe('a timer step', () => {
  it('opens with a due time of calendar days, weekends included, and is watched by its agency', () => {
    const app = noticeOpen();
    expect(app.steps.notice).toMatchObject({ status: 'open', dueAt: '2026-12-11T02:00:00.000Z' });
    expect(nextTimerAt(app.steps.notice!)).toBe('2026-12-11T02:00:00.000Z');
    expect(caseworkerSteps(svc, app, township)).toContain('notice');
    expect(caseworkerSteps(svc, app, elsewhere)).toEqual([]);
  });

  it('does not pass before its time', () => {
    expect(() =>
      transition(
        svc,
        noticeOpen(),
        { type: 'timer', step: 'notice' },
        system,
        at('2026-12-11T01:59:59Z'),
        deps,
      ),
    ).toThrow(InvalidStateError);
  });

  it('passes by itself when its time is up, opening the next step', () => {
    const r = transition(
      svc,
      noticeOpen(),
      { type: 'timer', step: 'notice' },
      system,
      at('2026-12-11T02:00:00Z'),
      deps,
    );
    expect(r.app.steps.notice).toMatchObject({ status: 'done', decidedBy: 'system' });
    expect(r.app.steps.confirm?.status).toBe('open');
    expect(r.events.map((e) => e.type)).toEqual(['step-approved', 'step-opened']);
  });

  it('is interrupted by its agency only, and becomes a review that the timer no longer passes', () => {
    const app = noticeOpen();
    const action = { type: 'interrupt' as const, step: 'notice', reason: 'objection', note: '邻居异议' };
    expect(() => transition(svc, app, action, elsewhere, at('2026-12-08T02:00:00Z'), deps)).toThrow(
      ForbiddenError,
    );
    expect(() => transition(svc, app, action, city, at('2026-12-08T02:00:00Z'), deps)).toThrow(
      ForbiddenError,
    );
    const r = transition(svc, app, action, township, at('2026-12-08T02:00:00Z'), deps);
    expect(r.app.steps.notice).toMatchObject({
      status: 'claimed',
      assignee: 'cw-1',
      reason: { code: 'objection' },
    });
    expect(r.events[0]).toMatchObject({ type: 'step-interrupted', reason: 'objection' });
    // its due time is now the review's: 5 working days, warned at 80%
    const reviewDue = r.app.steps.notice?.dueAt as string;
    expect(reviewDue > '2026-12-11T02:00:00.000Z').toBe(true);
    expect(nextTimerAt(r.app.steps.notice!)).toBe(r.app.steps.notice?.warnAt);
    const warned = transition(
      svc,
      r.app,
      { type: 'timer', step: 'notice' },
      system,
      new Date(r.app.steps.notice?.warnAt as string),
      deps,
    );
    expect(warned.events.map((e) => e.type)).toEqual(['sla-warning']);
    expect(warned.app.steps.notice?.status).toBe('claimed');
  });

  it('cannot be interrupted twice, nor once it has passed', () => {
    const app = noticeOpen();
    const action = { type: 'interrupt' as const, step: 'notice', reason: 'objection' };
    const once = transition(svc, app, action, township, at('2026-12-08T02:00:00Z'), deps).app;
    expect(() => transition(svc, once, action, township, at('2026-12-08T03:00:00Z'), deps)).toThrow(
      InvalidStateError,
    );
    const passed = transition(
      svc,
      app,
      { type: 'timer', step: 'notice' },
      system,
      at('2026-12-11T02:00:00Z'),
      deps,
    ).app;
    expect(() => transition(svc, passed, action, township, at('2026-12-11T03:00:00Z'), deps)).toThrow(
      InvalidStateError,
    );
  });

  it('under review, is approved (the chain goes on) or rejected (the application is rejected)', () => {
    const app = transition(
      svc,
      noticeOpen(),
      { type: 'interrupt', step: 'notice', reason: 'objection' },
      township,
      at('2026-12-08T02:00:00Z'),
      deps,
    ).app;
    const cleared = transition(
      svc,
      app,
      { type: 'decide', step: 'notice', decision: 'approve' },
      township,
      at('2026-12-09T02:00:00Z'),
      deps,
    );
    expect(cleared.app.steps.confirm?.status).toBe('open');
    const upheld = transition(
      svc,
      app,
      { type: 'decide', step: 'notice', decision: 'reject', reason: 'upheld' },
      township,
      at('2026-12-09T02:00:00Z'),
      deps,
    );
    // one chain of approvals: not "partially completed" although the first review was approved
    expect(upheld.app.status).toBe('rejected');
    expect(upheld.app.steps.confirm?.status).toBe('skipped');
  });

  it('is refused by defineService without its duration', () => {
    expect(() =>
      defineService({
        ...svc,
        id: 'bad',
        steps: { notice: { kind: 'timer', title: t('公示', 'Notice') } },
      }),
    ).toThrow(/timer step "notice" has no timer/);
  });
});
