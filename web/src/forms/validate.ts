/**
 * Client-side checks of the generated form: required, length, pattern, enum, integer range,
 * date-time and the 身份证号 check digit, the API's text policy on free text (the same rules, imported
 * from the kernel), plus the service's cross-field rules. The server checks everything again; its
 * field errors are shown the same way.
 */

import { choiceProblems, choiceProblemText } from '../../../functions/core/engine/choices.ts';
import { normalizeText, textLength, textProblem } from '../../../functions/core/forms/text-rules.ts';
import { messages as apiMessages } from '../../../functions/core/i18n.ts';
import type { Text } from '../i18n.tsx';
import { toOffsetDateTime, type Values } from './hints.ts';
import { idNumberProblem } from './id-number.ts';
import { type FieldModel, type FormModel, type SectionModel, setPath } from './model.ts';

const t = (zh: string, en: string): Text => ({ 'zh-CN': zh, en });

export const messages = {
  required: t('此项为必填项', 'This field is required'),
  choose: t('请选择一项', 'Choose an option'),
  chooseSome: t('请至少选择一项', 'Choose at least one'),
  minLength: (n: number) => t(`至少需要 ${n} 个字符`, `Enter at least ${n} characters`),
  maxLength: (n: number) => t(`不能超过 ${n} 个字符`, `Enter at most ${n} characters`),
  pattern: t('格式不正确', 'The format is not valid'),
  integer: t('请输入整数', 'Enter a whole number'),
  range: (min?: number, max?: number) =>
    t(`应在 ${min ?? '-∞'} 至 ${max ?? '∞'} 之间`, `Must be between ${min ?? '-∞'} and ${max ?? '∞'}`),
  datetime: t('请填写完整的日期和时间', 'Enter a complete date and time'),
  date: t('日期格式应为 YYYY-MM-DD', 'Date must be YYYY-MM-DD'),
  'id.format': t(
    '身份证号应为18位，前17位为数字，末位为数字或X',
    'ID number must be 18 characters: 17 digits then a digit or X',
  ),
  'id.checksum': t('身份证号校验位不正确', 'ID number check digit is wrong'),
  'id.birthdate': t('身份证号中的出生日期无效', 'ID number contains an invalid birth date'),
};

export type Errors = Record<string, Text>;

export interface FormState {
  values: Values;
  toggles: Record<string, boolean>;
}

export function sectionShown(model: FormModel, section: SectionModel, values: Values): boolean {
  const when = model.hints.sectionWhen?.[section.key];
  return when ? when(values) : true;
}

/** Whether a section's data is sent: shown and, when it has a switch, switched on. */
export function sectionEnabled(model: FormModel, section: SectionModel, state: FormState): boolean {
  if (!sectionShown(model, section, state.values)) return false;
  if (section.toggle) return state.toggles[section.key] !== false;
  return true;
}

export function fieldShown(model: FormModel, field: FieldModel, values: Values): boolean {
  const when = model.hints.fieldWhen?.[field.path];
  return when ? when(values) : true;
}

export function fieldRequired(model: FormModel, field: FieldModel, section: SectionModel): boolean {
  // a conditional field is required while shown; an enabled optional section's fields are
  // required as its schema says
  if (model.hints.fieldWhen?.[field.path]) return true;
  return field.required || (section.key === field.path && !section.optional);
}

const isEmpty = (v: string | string[] | undefined) =>
  v === undefined || (Array.isArray(v) ? v.every((x) => x.trim() === '') : v.trim() === '');

export function validateField(model: FormModel, field: FieldModel, state: FormState): Text | null {
  const section = model.sections.find((s) => s.key === field.section);
  if (!section || !sectionEnabled(model, section, state) || !fieldShown(model, field, state.values))
    return null;
  const raw = state.values[field.path];
  const s = field.schema;
  if (raw === undefined || isEmpty(raw)) {
    if (!fieldRequired(model, field, section)) return null;
    if (field.optionalParent && !anyValueUnder(state.values, field.optionalParent)) return null;
    if (field.widget === 'radio' || field.widget === 'select' || field.widget === 'boolean')
      return messages.choose;
    if (field.widget === 'checkboxes') return messages.chooseSome;
    return messages.required;
  }
  if (Array.isArray(raw)) {
    const entries = raw.filter((x) => x.trim() !== '');
    if (s.minItems !== undefined && entries.length < s.minItems && fieldRequired(model, field, section)) {
      return messages.chooseSome;
    }
    if (field.widget === 'list' && s.items?.pattern) {
      const re = safeRegExp(s.items.pattern);
      if (re && entries.some((x) => !re.test(x.trim()))) return messages.pattern;
    }
    const allowed = s.items?.enum?.map(String);
    if (allowed && raw.some((x) => !allowed.includes(x))) return messages.choose;
    if (s.maxItems !== undefined && raw.length > s.maxItems) return messages.pattern;
    return null;
  }
  const value = field.widget === 'idNumber' ? raw.trim().toUpperCase() : raw.trim();
  if (field.widget === 'idNumber') {
    const problem = idNumberProblem(value);
    return problem ? messages[problem] : null;
  }
  if (s.enum && !s.enum.map(String).includes(value)) return messages.choose;
  if (field.widget === 'number') {
    if (!/^-?\d+$/.test(value)) return messages.integer;
    const n = Number(value);
    if ((s.minimum !== undefined && n < s.minimum) || (s.maximum !== undefined && n > s.maximum)) {
      return messages.range(s.minimum, s.maximum);
    }
    return null;
  }
  if (field.widget === 'datetime') {
    const iso = toOffsetDateTime(value);
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso) &&
      !Number.isNaN(Date.parse(iso))
      ? null
      : messages.datetime;
  }
  if (field.widget === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return messages.date;
  if (field.widget === 'text' || field.widget === 'textarea') {
    const rules = { lineBreaks: field.widget === 'textarea' };
    const problem = textProblem(normalizeText(value, rules), rules);
    if (problem) return apiMessages[problem];
  }
  // lengths count characters, as the API does (a character outside the BMP counts once)
  const length = textLength(value);
  if (s.minLength !== undefined && length < s.minLength) return messages.minLength(s.minLength);
  if (s.maxLength !== undefined && length > s.maxLength) return messages.maxLength(s.maxLength);
  if (s.pattern) {
    const re = safeRegExp(s.pattern);
    if (re && !re.test(value)) return field.patternMessage ?? messages.pattern;
  }
  return null;
}

function safeRegExp(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern);
  } catch {
    return null;
  }
}

function anyValueUnder(values: Values, prefix: string): boolean {
  return Object.entries(values).some(
    ([path, v]) => (path === prefix || path.startsWith(`${prefix}.`)) && !isEmpty(v),
  );
}

/**
 * The API's rule for choices (functions/core/engine/choices.ts) on the catalogue's steps: a chosen
 * step needs the steps it depends on chosen too (e.g. household registration needs the birth
 * certificate), and something must be left for a caseworker to do.
 */
export function choiceErrors(model: FormModel, values: Values): Errors {
  const steps = model.service.steps.map((s) => ({ ...s, name: s.step }));
  const paths = [...new Set(steps.flatMap((s) => (s.chosenBy ? [s.chosenBy.path] : [])))];
  if (paths.length === 0) return {};
  const wanted = (name: string) => {
    const choice = steps.find((s) => s.name === name)?.chosenBy;
    if (!choice) return true;
    const list = values[choice.path];
    return Array.isArray(list) && list.includes(choice.value);
  };
  const out: Errors = {};
  for (const problem of choiceProblems(steps, wanted)) {
    const path =
      (problem.kind === 'needs' && (problem.missing.chosenBy ?? problem.step.chosenBy)?.path) || paths[0];
    if (path) out[path] ??= choiceProblemText(problem);
  }
  return out;
}

export function crossErrors(model: FormModel, state: FormState): Errors {
  const out: Errors = {};
  const enabled = (key: string) => {
    const section = model.sections.find((s) => s.key === key);
    return section ? sectionEnabled(model, section, state) : false;
  };
  for (const e of model.hints.checks?.(state.values, enabled) ?? []) out[e.path] ??= e.message;
  for (const [path, message] of Object.entries(choiceErrors(model, state.values))) out[path] ??= message;
  return out;
}

export function validateSection(model: FormModel, section: SectionModel, state: FormState): Errors {
  const out: Errors = {};
  for (const f of section.fields) {
    const e = validateField(model, f, state);
    if (e) out[f.path] = e;
  }
  for (const [path, msg] of Object.entries(crossErrors(model, state))) {
    if (path === section.key || path.startsWith(`${section.key}.`)) out[path] ??= msg;
  }
  return out;
}

export function validateAll(model: FormModel, state: FormState): Errors {
  const out: Errors = {};
  for (const s of model.sections) Object.assign(out, validateSection(model, s, state));
  return out;
}

/** The value of one field as the API wants it. */
export function coerce(field: FieldModel, raw: string | string[]): unknown {
  if (Array.isArray(raw)) return field.widget === 'list' ? raw.map((x) => x.trim()).filter(Boolean) : raw;
  if (field.widget === 'boolean') return raw === 'true';
  const value = raw.trim();
  if (field.widget === 'number') return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (field.widget === 'datetime') return toOffsetDateTime(value);
  if (field.widget === 'idNumber') return value.toUpperCase();
  return value;
}

/** The form as the API wants it: enabled sections and shown fields, empty optional fields left out. */
export function buildPayload(model: FormModel, state: FormState): Record<string, unknown> {
  const form: Record<string, unknown> = {};
  for (const section of model.sections) {
    if (!sectionEnabled(model, section, state)) continue;
    for (const f of section.fields) {
      if (!fieldShown(model, f, state.values)) continue;
      const raw = state.values[f.path];
      if (raw === undefined || isEmpty(raw)) {
        // an empty array field with a schema default (e.g. no priority claims) is sent as []
        if (Array.isArray(raw) && f.required) setPath(form, f.path, []);
        continue;
      }
      setPath(form, f.path, coerce(f, raw));
    }
    if (section.object && !(section.key in form)) form[section.key] = {};
  }
  return form;
}

/** The section holding a dotted path (`mother.idNumber` → mother). */
export function sectionOfPath(model: FormModel, path: string): SectionModel | undefined {
  const key = path.split('.')[0];
  return model.sections.find((s) => s.key === key);
}
