/**
 * `defineService` checks a service definition once, at module load: every `needs` names a real
 * step, the steps form a DAG, human steps name an agency, auto steps have a function. It returns
 * the definition with the steps' topological order, and its form refusing choices the step graph
 * cannot honour (engine/choices.ts).
 */
import type * as z from 'zod';
import {
  type ChoiceStep,
  choiceOf,
  choiceProblems,
  choiceProblemText,
  duplicateChoiceText,
} from './choices.ts';
import type { FormData, ServiceDefinition } from './types.ts';

export type ServiceInput<F> = Omit<ServiceDefinition<F>, 'order'>;

/** Typed by the form schema: the hooks receive the parsed form, no casts. */
export function defineService<F>(
  input: { form: z.ZodType<F> } & ServiceInput<NoInfer<F>>,
): ServiceDefinition<F> {
  const names = Object.keys(input.steps);
  for (const [name, step] of Object.entries(input.steps)) {
    for (const need of step.needs ?? []) {
      if (!input.steps[need]) throw new Error(`${input.id}: step "${name}" needs unknown step "${need}"`);
    }
    if (step.kind === 'human' && !step.agency)
      throw new Error(`${input.id}: human step "${name}" has no agency`);
    if (step.kind === 'timer' && !step.timer)
      throw new Error(`${input.id}: timer step "${name}" has no timer`);
    if (step.kind === 'auto' && !step.run)
      throw new Error(`${input.id}: auto step "${name}" has no run function`);
  }
  const order = topologicalOrder(input.id, names, (n) => input.steps[n]?.needs ?? []);
  return {
    ...input,
    form: withChoiceRules(input as unknown as ServiceInput<FormData>, order) as z.ZodType<F>,
    order,
  };
}

/**
 * The form plus the rule every service gets from its steps: no choice listed twice, no chosen
 * step without the steps it needs, and at least one caseworker step to do. Field errors name the
 * choice field (e.g. `items`) and the missing prerequisite.
 */
function withChoiceRules(input: ServiceInput<FormData>, order: string[]): z.ZodType<FormData> {
  const steps: ChoiceStep[] = order.map((name) => ({ ...(input.steps[name] as ChoiceStep), name }));
  const choiceOfStep = (name: string) => choiceOf(input.steps[name]?.when);
  const paths = [...new Set(order.map((n) => choiceOfStep(n)?.path).filter((p) => p !== undefined))];
  return input.form.superRefine((form, ctx) => {
    for (const path of paths) {
      const list = valueAt(form, path);
      if (!Array.isArray(list)) continue;
      list.forEach((item, i) => {
        if (list.indexOf(item) === i) return;
        ctx.addIssue({
          code: 'custom',
          path: [...path.split('.'), i],
          message: 'choice.duplicate',
          params: { text: duplicateChoiceText },
        });
      });
    }
    for (const problem of choiceProblems(steps, (name) => input.steps[name]?.when?.(form) ?? true)) {
      const choice =
        problem.kind === 'needs'
          ? (choiceOfStep(problem.missing.name) ?? choiceOfStep(problem.step.name))
          : undefined;
      const path = choice?.path ?? paths[0];
      ctx.addIssue({
        code: 'custom',
        path: path ? path.split('.') : [],
        message: problem.kind === 'needs' ? 'choice.needs' : 'choice.nothingToDo',
        params: { text: choiceProblemText(problem) },
      });
    }
  }) as z.ZodType<FormData>;
}

function valueAt(form: FormData, path: string): unknown {
  let cur: unknown = form;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function topologicalOrder(id: string, names: string[], needsOf: (n: string) => string[]): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (n: string, path: string[]) => {
    if (state.get(n) === 'done') return;
    if (state.get(n) === 'visiting')
      throw new Error(`${id}: steps form a cycle: ${[...path, n].join(' → ')}`);
    state.set(n, 'visiting');
    for (const need of needsOf(n)) visit(need, [...path, n]);
    state.set(n, 'done');
    order.push(n);
  };
  for (const n of names) visit(n, []);
  return order;
}

/** The workflow as a Mermaid flowchart, for the console. */
export function toMermaid(def: ServiceDefinition, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
  const lines = ['flowchart LR'];
  const safe = (s: string) => s.replaceAll('"', "'");
  for (const name of def.order) {
    const step = def.steps[name];
    if (!step) continue;
    const who = step.agency ? ` (${step.agency})` : '';
    lines.push(`  ${name.replaceAll('-', '_')}["${safe(step.title[lang])}${who}"]`);
    for (const need of step.needs ?? [])
      lines.push(`  ${need.replaceAll('-', '_')} --> ${name.replaceAll('-', '_')}`);
  }
  return lines.join('\n');
}
