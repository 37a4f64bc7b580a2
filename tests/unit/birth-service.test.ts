import { beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import { defineService } from '#core/engine/define-service';
import {
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from '#core/errors';
import { t } from '#core/i18n';
import { auditor, birthDeciders, cw, parentA, parentB } from '../support/actors.ts';
import { birthForm } from '../support/forms.ts';
import { MemoryRepository } from '../support/memory-repo.ts';

// Wednesday 2026-11-25 09:00 China time: a plain working week with holiday data.
let now = new Date('2026-11-25T01:00:00Z');
let seq = 0;

function setup() {
  const repo = new MemoryRepository();
  const service = new ApplicationService(repo, {
    clock: { now: () => now },
    ids: { newId: () => `01J${String(++seq).padStart(23, '0')}` },
    calendar: new WorkingCalendar(),
  });
  return { repo, service };
}

const stepStatus = (view: { steps: Array<{ step: string; status: string }> }) =>
  Object.fromEntries(view.steps.map((s) => [s.step, s.status]));

async function approve(service: ApplicationService, id: string, step: string) {
  const d = birthDeciders[step]!;
  return service.decide(d.actor, id, step, { decision: 'approve', outputs: d.outputs });
}

describe('birth-registration on the engine', () => {
  beforeEach(() => {
    now = new Date('2026-11-25T01:00:00Z');
  });

  it('passes the pre-check and opens the certificate and vaccination sub-cases at once', async () => {
    const { service } = setup();
    const { view } = await service.submit(parentA, { service: 'birth-registration', form: birthForm(now) });
    expect(view.status).toBe('in-progress');
    expect(stepStatus(view)).toMatchObject({
      precheck: 'done',
      'birth-certificate': 'open',
      vaccination: 'open',
      hukou: 'pending',
      'medical-insurance': 'pending',
      delivery: 'pending',
    });
    // 1 working day for the certificate: due at the end of Thursday 26 November (China time).
    expect(view.steps.find((s) => s.step === 'birth-certificate')?.dueAt).toBe('2026-11-26T15:59:59.999Z');
    // ID numbers never leave core unmasked in a view.
    expect(view.form.mother).toMatchObject({ idNumber: '3303**********0249' });
  });

  it('runs every agency in dependency order to completion', async () => {
    const { service, repo } = setup();
    const { view } = await service.submit(parentA, { service: 'birth-registration', form: birthForm(now) });
    await expect(approve(service, view.id, 'hukou')).rejects.toBeInstanceOf(InvalidStateError);
    for (const step of [
      'birth-certificate',
      'vaccination',
      'hukou',
      'medical-insurance',
      'social-security-card',
    ]) {
      await approve(service, view.id, step);
    }
    expect(stepStatus(await service.get(parentA, view.id)).delivery).toBe('open');
    const done = await approve(service, view.id, 'delivery');
    expect(done.status).toBe('completed');
    expect(done.steps.find((s) => s.step === 'hukou')?.outputs).toEqual({ householdNumber: '330382001' });
    const types = repo.events.filter((e) => e.appId === view.id).map((e) => e.type);
    expect(types[0]).toBe('submitted');
    expect(types.at(-1)).toBe('completed');
    expect(types.filter((t) => t === 'step-approved')).toHaveLength(7); // precheck + 6 agencies
  });

  it('shows partial success when one agency rejects: dependants are skipped, others finish', async () => {
    const { service } = setup();
    const { view } = await service.submit(parentA, { service: 'birth-registration', form: birthForm(now) });
    await approve(service, view.id, 'birth-certificate');
    await approve(service, view.id, 'vaccination');
    const rejected = await service.decide(cw('police', 'liushi'), view.id, 'hukou', {
      decision: 'reject',
      reason: 'address-invalid',
    });
    expect(stepStatus(rejected)).toMatchObject({
      hukou: 'rejected',
      'medical-insurance': 'skipped',
      'social-security-card': 'skipped',
      delivery: 'open',
    });
    const done = await approve(service, view.id, 'delivery');
    expect(done.status).toBe('partially-completed');
  });

  it('rejects at once when the pre-check fails (mother not 15 years older)', async () => {
    const { service } = setup();
    const form = birthForm(now);
    const { makeIdNumber } = await import('#core/id-number');
    form.mother.idNumber = makeIdNumber('330382', '20150312', '024');
    const { view } = await service.submit(parentA, { service: 'birth-registration', form });
    expect(view.status).toBe('rejected');
    expect(stepStatus(view).precheck).toBe('rejected');
    expect(JSON.stringify(view.steps[0]?.reason)).toContain('at least 15 years older');
  });

  it('refuses a wrong check digit with a field-level message in zh-CN and en, storing nothing', async () => {
    const { service, repo } = setup();
    const form = birthForm(now);
    form.mother.idNumber = '330382199503120248';
    const err = await service.submit(parentA, { service: 'birth-registration', form }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.fields).toContainEqual({
      path: 'form.mother.idNumber',
      code: 'id.checksum',
      message: { 'zh-CN': '身份证号校验位不正确', en: 'ID number check digit is wrong' },
    });
    expect(repo.apps.size).toBe(0);
  });

  it('refuses unknown fields and a future birth date', async () => {
    const { service } = setup();
    const form = birthForm(now);
    form.child.birthAt = '2099-01-01T00:00:00+08:00';
    form.status = 'completed';
    const err = await service.submit(parentA, { service: 'birth-registration', form }).catch((e) => e);
    expect(err.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'form.child.birthAt',
      'form.status',
    ]);
  });

  it('pauses the SLA clock while the parent corrects requested fields', async () => {
    const { service } = setup();
    const { view } = await service.submit(parentA, { service: 'birth-registration', form: birthForm(now) });
    const dueBefore = view.steps.find((s) => s.step === 'birth-certificate')?.dueAt as string;
    const asked = await service.decide(cw('health'), view.id, 'birth-certificate', {
      decision: 'request-info',
      fields: ['child.name'],
      note: '姓名与医院记录不一致',
    });
    expect(asked.status).toBe('info-requested');
    now = new Date(now.getTime() + 3 * 3600_000);
    const form = birthForm(new Date('2026-11-25T01:00:00Z'));
    form.child.name = '王晓明';
    const other = structuredClone(form);
    other.hukou.address = '浙江省乐清市柳市镇新地址 1 号';
    await expect(service.resubmit(parentA, view.id, other)).rejects.toBeInstanceOf(ValidationError);
    await expect(service.resubmit(parentB, view.id, form)).rejects.toBeInstanceOf(NotFoundError);
    const back = await service.resubmit(parentA, view.id, form);
    expect(back.status).toBe('in-progress');
    const step = back.steps.find((s) => s.step === 'birth-certificate');
    expect(step?.status).toBe('claimed');
    expect(Date.parse(step?.dueAt as string) - Date.parse(dueBefore)).toBe(3 * 3600_000);
    expect(back.form.child).toMatchObject({ name: '王晓明' });
  });

  it('lets only the right agency and township decide', async () => {
    const { service } = setup();
    const { view } = await service.submit(parentA, { service: 'birth-registration', form: birthForm(now) });
    // The CDC sees the case (it decides the vaccination step) but cannot decide the health step.
    await expect(
      service.decide(cw('cdc'), view.id, 'birth-certificate', { decision: 'approve' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await approve(service, view.id, 'birth-certificate');
    // A police officer of another township cannot even see the case.
    await expect(
      service.decide(cw('police', 'lecheng'), view.id, 'hukou', {
        decision: 'approve',
        outputs: { householdNumber: '330382002' },
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const done = await approve(service, view.id, 'hukou');
    expect(stepStatus(done).hukou).toBe('done');
  });

  it('hides other parents’ applications and gives auditors masked data only', async () => {
    const { service } = setup();
    const { view } = await service.submit(parentA, { service: 'birth-registration', form: birthForm(now) });
    await expect(service.get(parentB, view.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await service.listMine(parentB)).toEqual([]);
    const seen = await service.get(auditor, view.id);
    expect(JSON.stringify(seen)).not.toContain('330382199503120249');
    await expect(service.reveal(auditor, view.id, 'mother.idNumber', 'audit')).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('reveals an ID number to a caseworker of the case and records the reveal', async () => {
    const { service, repo } = setup();
    const { view } = await service.submit(parentA, { service: 'birth-registration', form: birthForm(now) });
    const shown = await service.reveal(cw('health'), view.id, 'mother.idNumber', '核对医院分娩记录');
    expect(shown.value).toBe('330382199503120249');
    const event = repo.events.find((e) => e.type === 'id-revealed');
    expect(event).toMatchObject({
      actor: { sub: 'cw-health' },
      note: '核对医院分娩记录',
      data: { path: 'mother.idNumber' },
    });
    expect(JSON.stringify(repo.events)).not.toContain('330382199503120249');
  });

  it('requires a coded reason to reject and outputs to approve', async () => {
    const { service } = setup();
    const { view } = await service.submit(parentA, { service: 'birth-registration', form: birthForm(now) });
    await expect(
      service.decide(cw('health'), view.id, 'birth-certificate', { decision: 'reject' }),
    ).rejects.toBeInstanceOf(ValidationError);
    const err = await service
      .decide(cw('health'), view.id, 'birth-certificate', {
        decision: 'approve',
        outputs: { certificateNumber: '123' },
      })
      .catch((e) => e);
    expect(err.fields[0].path).toBe('outputs.certificateNumber');
  });

  it('turns a lost race into a version conflict', async () => {
    const { service, repo } = setup();
    const { view } = await service.submit(parentA, { service: 'birth-registration', form: birthForm(now) });
    const stale = await repo.get(view.id);
    await approve(service, view.id, 'vaccination');
    const { transition } = await import('#core/engine/transition');
    const { getService } = await import('#services/registry');
    const result = transition(
      getService('birth-registration'),
      stale,
      { type: 'claim', step: 'birth-certificate' },
      cw('health'),
      now,
      {
        calendar: new WorkingCalendar(),
        newEventId: () => 'x',
      },
    );
    await expect(repo.save(result, stale!.version)).rejects.toBeInstanceOf(VersionConflictError);
  });

  it('warns at 80% of the promised time and escalates at the breach, once each', async () => {
    const { service, repo } = setup();
    const { view } = await service.submit(parentA, { service: 'birth-registration', form: birthForm(now) });
    const step = view.steps.find((s) => s.step === 'birth-certificate')!;
    const span = Date.parse(step.dueAt!) - now.getTime();
    now = new Date(now.getTime() + span * 0.85);
    await service.sweep();
    now = new Date(now.getTime() + span * 0.2);
    await service.sweep();
    await service.sweep();
    const types = repo.events.filter((e) => e.step === 'birth-certificate').map((e) => e.type);
    expect(types.filter((t) => t === 'sla-warning')).toHaveLength(1);
    expect(types.filter((t) => t === 'sla-breached')).toHaveLength(1);
    expect(repo.events.find((e) => e.type === 'sla-breached')).toMatchObject({ agency: 'health' });
  });
});

describe('defineService', () => {
  it('refuses a cycle in the steps', () => {
    const base = {
      id: 'x',
      title: t('x', 'x'),
      form: z.object({}),
      sla: { workingDays: 1 },
      sensitivePaths: [],
      contactEmail: () => undefined,
      township: () => undefined,
      label: () => 'x',
    };
    expect(() =>
      defineService({
        ...base,
        steps: {
          a: { kind: 'human', agency: 'h', title: t('a', 'a'), needs: ['b'] },
          b: { kind: 'human', agency: 'h', title: t('b', 'b'), needs: ['a'] },
        },
      }),
    ).toThrow(/cycle/);
    expect(() =>
      defineService({
        ...base,
        steps: { a: { kind: 'human', agency: 'h', title: t('a', 'a'), needs: ['zz'] } },
      }),
    ).toThrow(/unknown step/);
  });
});
