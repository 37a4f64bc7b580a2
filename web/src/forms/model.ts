/**
 * Turns a service's form (JSON Schema from zod) into sections and fields: one section per
 * top-level property (objects are flattened to dotted paths; an array of enums is a set of
 * checkboxes), widgets chosen from the schema (enum, format, type) and the hints.
 */
import type { Text } from '../i18n.tsx';
import type { JsonSchema, Reference, ServiceInfo } from '../types.ts';
import {
  commonFields,
  type FieldHint,
  type ServiceHints,
  serviceHints,
  type Values,
  type Widget,
} from './hints.ts';

export interface Option {
  value: string;
  label: Text;
}

export interface FieldModel {
  path: string;
  key: string;
  section: string;
  schema: JsonSchema;
  /** required by the schema within its object */
  required: boolean;
  widget: Widget;
  label: Text;
  help?: Text;
  autoComplete?: string;
  patternMessage?: Text;
  /** enum values with labels; reference fields get their options from reference data */
  options?: Option[];
  reference?: keyof Reference;
  sensitive: boolean;
  /**
   * The nearest optional object this field sits in (an optional section or nested object): its
   * fields are required only once one of them has a value.
   */
  optionalParent?: string;
}

export interface SectionModel {
  key: string;
  title: Text;
  /** not required at the top level */
  optional: boolean;
  /** label of the on/off switch for an optional section the parent may leave out */
  toggle?: Text;
  /** an object section (fields nested under its key) rather than a single top-level field */
  object: boolean;
  fields: FieldModel[];
}

export interface FormModel {
  service: Pick<ServiceInfo, 'id' | 'form' | 'sensitivePaths' | 'steps'>;
  hints: ServiceHints;
  sections: SectionModel[];
  fields: FieldModel[];
}

export const humanize = (key: string): Text => {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]/g, ' ')
    .toLowerCase();
  const en = words.charAt(0).toUpperCase() + words.slice(1);
  return { 'zh-CN': en, en };
};

const typeOf = (s: JsonSchema): string | undefined => (Array.isArray(s.type) ? s.type[0] : s.type);

/** Collapses `anyOf: [X, {type: null}]` (nullable/optional encodings) to X. */
function unwrap(s: JsonSchema): JsonSchema {
  if (s.anyOf) {
    const real = s.anyOf.filter((x) => typeOf(x) !== 'null');
    if (real.length === 1 && real[0]) return { ...real[0], default: s.default ?? real[0].default };
  }
  return s;
}

function chooseWidget(schema: JsonSchema, hint: FieldHint, sensitive: boolean, key: string): Widget {
  if (hint.widget) return hint.widget;
  if (sensitive) return 'idNumber';
  const type = typeOf(schema);
  if (type === 'array') return schema.items?.enum ? 'checkboxes' : 'list';
  if (type === 'boolean') return 'boolean';
  if (hint.reference) return 'select';
  if (schema.enum) return schema.enum.length <= 3 ? 'radio' : 'select';
  if (type === 'integer' || type === 'number') return 'number';
  if (schema.format === 'date-time') return 'datetime';
  if (schema.format === 'date') return 'date';
  if (schema.format === 'email') return 'email';
  if (key === 'note' || (schema.maxLength ?? 0) > 300) return 'textarea';
  return 'text';
}

function fieldModel(
  path: string,
  key: string,
  section: string,
  schema: JsonSchema,
  required: boolean,
  hints: ServiceHints,
  sensitivePaths: string[],
): FieldModel {
  const hint: FieldHint = { ...commonFields[key], ...hints.fields?.[path] };
  const sensitive = sensitivePaths.includes(path);
  const widget = chooseWidget(schema, hint, sensitive, key);
  const enumValues = (typeOf(schema) === 'array' ? schema.items?.enum : schema.enum) ?? [];
  const yesNo: Option[] = [
    { value: 'true', label: { 'zh-CN': '是', en: 'Yes' } },
    { value: 'false', label: { 'zh-CN': '否', en: 'No' } },
  ];
  const options =
    widget === 'boolean'
      ? yesNo
      : enumValues.length
        ? enumValues.map((v) => {
            const value = String(v);
            return { value, label: hint.options?.[value] ?? { 'zh-CN': value, en: value } };
          })
        : undefined;
  return {
    path,
    key,
    section,
    schema,
    required: required || hint.required === true,
    widget,
    label: hint.label ?? humanize(key),
    help: hint.help,
    autoComplete: hint.autoComplete,
    patternMessage: hint.patternMessage,
    options,
    reference: hint.reference,
    sensitive,
  };
}

function flatten(
  schema: JsonSchema,
  prefix: string,
  section: string,
  hints: ServiceHints,
  sensitivePaths: string[],
  optionalParent?: string,
): FieldModel[] {
  const props = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  return Object.entries(props).flatMap(([key, raw]) => {
    const child = unwrap(raw);
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeOf(child) === 'object' && child.properties) {
      const parent = optionalParent ?? (required.has(key) ? undefined : path);
      return flatten(child, path, section, hints, sensitivePaths, parent);
    }
    const field = fieldModel(path, key, section, child, required.has(key), hints, sensitivePaths);
    return [optionalParent ? { ...field, optionalParent } : field];
  });
}

export function buildModel(
  service: Pick<ServiceInfo, 'id' | 'form' | 'sensitivePaths' | 'steps'>,
  extraHints?: ServiceHints,
): FormModel {
  const hints = extraHints ?? serviceHints[service.id] ?? {};
  const root = service.form;
  const props = root.properties ?? {};
  const required = new Set(root.required ?? []);
  const order = [
    ...(hints.sectionOrder ?? []).filter((k) => k in props),
    ...Object.keys(props).filter((k) => !hints.sectionOrder?.includes(k)),
  ];
  const sections: SectionModel[] = order.map((key) => {
    const schema = unwrap(props[key] ?? {});
    const object = typeOf(schema) === 'object' && !!schema.properties;
    // an optional section without an on/off switch: its fields are required once one has a value
    const optionalParent = !required.has(key) && !hints.toggles?.[key] ? key : undefined;
    const fields = object
      ? flatten(schema, key, key, hints, service.sensitivePaths, optionalParent)
      : [fieldModel(key, key, key, schema, required.has(key), hints, service.sensitivePaths)];
    return {
      key,
      title: hints.sections?.[key] ?? humanize(key),
      optional: !required.has(key),
      toggle: hints.toggles?.[key],
      object,
      fields,
    };
  });
  return { service, hints, sections, fields: sections.flatMap((s) => s.fields) };
}

/** Initial values: schema defaults (e.g. every item ticked). */
export function initialValues(model: FormModel): Values {
  const v: Values = {};
  for (const f of model.fields) {
    const def = f.schema.default;
    if (Array.isArray(def)) v[f.path] = def.map(String);
    else if (def !== undefined && def !== null) v[f.path] = String(def);
    else if (f.widget === 'checkboxes' || f.widget === 'list') v[f.path] = [];
    else if (f.widget === 'radio' && f.options?.length === 1 && f.required)
      v[f.path] = f.options[0]?.value ?? '';
  }
  return v;
}

/** Flattens a stored form into input values (for resubmission and review). */
export function valuesFromForm(model: FormModel, form: Record<string, unknown>): Values {
  const v: Values = {};
  for (const f of model.fields) {
    const raw = getPath(form, f.path);
    if (raw === undefined || raw === null) continue;
    if (Array.isArray(raw)) v[f.path] = raw.map(String);
    else if (f.widget === 'datetime' && typeof raw === 'string') v[f.path] = toLocalDateTime(raw);
    else v[f.path] = String(raw);
  }
  return v;
}

function toLocalDateTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
}

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur = obj;
  for (const key of keys.slice(0, -1)) {
    const next = cur[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1] as string] = value;
}
