/**
 * Choices a service's step graph cannot honour are refused by its form (derived by the engine
 * from `needs` and `when`), so no application ends `completed` with nothing issued.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import { chosen } from '#core/engine/choices';
import { defineService } from '#core/engine/define-service';
import { ValidationError } from '#core/errors';
import { t } from '#core/i18n';
import { birthRegistration } from '#services/birth-registration/definition';
import { birthItems } from '#services/birth-registration/form';
import { birthDeciders, parentA } from '../support/actors.ts';
import { birthForm } from '../support/forms.ts';
import { MemoryRepository } from '../support/memory-repo.ts';

let seq = 0;
function setup() {
  return new ApplicationService(new MemoryRepository(), {
    clock: { now: () => new Date() },
    ids: { newId: () => `01J${String(++seq).padStart(23, '0')}` },
    calendar: new WorkingCalendar(),
  });
}

function fieldErrors(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.fields;
    throw err;
  }
  throw new Error('the form was accepted');
}

const birthWith = (items: string[]) =>
  fieldErrors(() => setup().validateForm(birthRegistration, { ...birthForm(), items }));

describe('choices the step graph cannot honour', () => {
  it('refuses household registration without the birth certificate it needs, naming it', () => {
    expect(birthWith(['hukou'])).toEqual([
      {
        path: 'form.items',
        code: 'choice.needs',
        message: {
          'zh-CN': '办理“户口登记”须先办理“出生医学证明”，请一并选择',
          en: 'Household registration needs Birth medical certificate first: choose it too',
        },
      },
    ]);
  });

  it('refuses medical insurance and the social security card without household registration', () => {
    const errors = birthWith(['medical-insurance', 'social-security-card']);
    expect(errors.map((e) => e.code)).toEqual(['choice.needs', 'choice.needs']);
    for (const e of errors) expect(e.message['zh-CN']).toContain('“户口登记”');
  });

  it('refuses an item chosen twice', () => {
    expect(birthWith(['birth-certificate', 'birth-certificate'])).toEqual([
      expect.objectContaining({ path: 'form.items.1', code: 'choice.duplicate' }),
    ]);
  });

  it('derives the rule for any service from its steps, not from the service', () => {
    const def = defineService({
      id: 'choices-demo',
      title: t('示例', 'Demo'),
      form: z.strictObject({ wants: z.array(z.enum(['a', 'b'])) }) as never,
      sla: { workingDays: 5 },
      sensitivePaths: [],
      contactEmail: () => undefined,
      township: () => undefined,
      label: () => 'demo',
      steps: {
        a: { kind: 'human', title: t('甲', 'Step A'), agency: 'x', when: chosen('wants', 'a') },
        b: { kind: 'human', title: t('乙', 'Step B'), agency: 'x', needs: ['a'], when: chosen('wants', 'b') },
      },
    });
    expect(def.form.safeParse({ wants: ['a', 'b'] }).success).toBe(true);
    const refused = def.form.safeParse({ wants: ['b'] });
    expect(refused.error?.issues).toEqual([
      expect.objectContaining({ path: ['wants'], message: 'choice.needs' }),
    ]);
    expect(def.form.safeParse({ wants: [] }).error?.issues).toEqual([
      expect.objectContaining({ path: ['wants'], message: 'choice.nothingToDo' }),
    ]);
  });

  it('never lets a birth application end completed without every chosen item issued by a caseworker', async () => {
    // every subset of the items, in order
    const subsets = Array.from({ length: 2 ** birthItems.length }, (_, mask) =>
      birthItems.filter((_, i) => mask & (1 << i)),
    );
    let accepted = 0;
    for (const items of subsets) {
      const service = setup();
      let view: Awaited<ReturnType<ApplicationService['submit']>>['view'];
      try {
        ({ view } = await service.submit(parentA, {
          service: 'birth-registration',
          form: { ...birthForm(), items },
        }));
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        continue;
      }
      accepted++;
      // approve whatever opens until nothing does
      for (let open = view.steps.filter((s) => s.status === 'open'); open.length > 0; ) {
        for (const s of open) {
          const d = birthDeciders[s.step]!;
          view = await service.decide(d.actor, view.id, s.step, { decision: 'approve', outputs: d.outputs });
        }
        open = view.steps.filter((s) => s.status === 'open');
      }
      expect(view.status, `items ${items.join(',')}`).toBe('completed');
      const done = view.steps.filter((s) => s.status === 'done').map((s) => s.step);
      expect(done, `items ${items.join(',')}`).toEqual(expect.arrayContaining([...items, 'delivery']));
    }
    expect(accepted).toBeGreaterThan(1);
  });
});
