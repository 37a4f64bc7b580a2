/**
 * What an applicant's choices ask of the step graph, and whether the graph can honour it: a chosen
 * step whose prerequisite (`needs`, joined all-done) was not chosen would be skipped, and an
 * application whose choices leave no caseworker step would end `completed` with nothing issued.
 * Derived from the definitions' `needs` and `when`, for every service; pure and free of zod, so
 * the console runs the same rule on the catalogue's step list.
 */
import type { I18nText } from '../i18n.ts';

/** A choice a step's `when` reads: the step is wanted when the array at `path` holds `value`. */
export interface StepChoice {
  path: string;
  value: string;
}

/** `when: chosen('items', 'hukou')`: wanted when the form's `items` holds `hukou`. */
export function chosen(
  path: string,
  value: string,
): ((form: Record<string, unknown>) => boolean) & {
  choice: StepChoice;
} {
  const when = (form: Record<string, unknown>) => {
    const list = valueAt(form, path);
    return Array.isArray(list) && list.includes(value);
  };
  return Object.assign(when, { choice: { path, value } });
}

/** The choice behind a step's `when`, if it was made with `chosen`. */
export function choiceOf(when: unknown): StepChoice | undefined {
  return typeof when === 'function' && 'choice' in when ? (when.choice as StepChoice) : undefined;
}

export interface ChoiceStep {
  name: string;
  kind: string;
  title: I18nText;
  needs?: readonly string[] | undefined;
  join?: 'all-done' | 'any-done' | undefined;
}

export type ChoiceProblem<S extends ChoiceStep = ChoiceStep> =
  | { kind: 'needs'; step: S; missing: S }
  | { kind: 'nothing-to-do' };

/** Steps in topological order; `wanted(name)` is the step's `when` on the form (true without one). */
export function choiceProblems<S extends ChoiceStep>(
  steps: readonly S[],
  wanted: (name: string) => boolean,
): ChoiceProblem<S>[] {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const problems: ChoiceProblem<S>[] = [];
  // whether a step can open: wanted, and its needs can be done (all of them, or any for any-done)
  const opens = new Map<string, boolean>();
  for (const step of steps) {
    const needs = (step.needs ?? []).map((n) => byName.get(n)).filter((n) => n !== undefined);
    if (!wanted(step.name)) {
      opens.set(step.name, false);
      continue;
    }
    if (step.join === 'any-done') {
      opens.set(step.name, needs.length === 0 || needs.some((n) => opens.get(n.name)));
      continue;
    }
    for (const need of needs) if (!wanted(need.name)) problems.push({ kind: 'needs', step, missing: need });
    opens.set(
      step.name,
      needs.every((n) => opens.get(n.name)),
    );
  }
  if (problems.length === 0 && !steps.some((s) => s.kind === 'human' && opens.get(s.name))) {
    problems.push({ kind: 'nothing-to-do' });
  }
  return problems;
}

export function choiceProblemText(problem: ChoiceProblem): I18nText {
  if (problem.kind === 'nothing-to-do') {
    return {
      'zh-CN': '所选事项中没有需要办理的事项，请至少选择一项可以办理的事项',
      en: 'Nothing you chose can be done; choose at least one item that can',
    };
  }
  const { step, missing } = problem;
  return {
    'zh-CN': `办理“${step.title['zh-CN']}”须先办理“${missing.title['zh-CN']}”，请一并选择`,
    en: `${step.title.en} needs ${missing.title.en} first: choose it too`,
  };
}

export const duplicateChoiceText: I18nText = {
  'zh-CN': '同一事项不能重复选择',
  en: 'The same item cannot be chosen twice',
};

function valueAt(form: Record<string, unknown>, path: string): unknown {
  let cur: unknown = form;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
