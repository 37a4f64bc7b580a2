/**
 * `defineService` checks a service definition once, at module load: every `needs` names a real
 * step, the steps form a DAG, human steps name an agency, auto steps have a function. It returns
 * the definition with the steps' topological order.
 */
import type { z } from 'zod';
import type { ServiceDefinition } from './types.ts';

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
    if (step.kind === 'auto' && !step.run)
      throw new Error(`${input.id}: auto step "${name}" has no run function`);
  }
  return { ...input, order: topologicalOrder(input.id, names, (n) => input.steps[n]?.needs ?? []) };
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
