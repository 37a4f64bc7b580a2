/**
 * The vocabulary of form hints, shared by the kernel's form renderer and the service modules'
 * texts (web/src/services/<id>/texts.ts): what a hint can say, and helpers for hints that recur.
 * Data only: no component, nothing that imports a module.
 */
import type { Text } from '../i18n.tsx';
import type { Reference } from '../types.ts';

export type Widget =
  | 'text'
  | 'textarea'
  | 'email'
  | 'tel'
  | 'idNumber'
  | 'number'
  | 'datetime'
  | 'date'
  | 'select'
  | 'radio'
  | 'checkboxes'
  /** yes/no radios for a boolean */
  | 'boolean'
  /** up to maxItems free-text entries for an array of strings without an enum */
  | 'list';

export type Values = Record<string, string | string[]>;

export interface FieldHint {
  label?: Text;
  /** required although the schema has a default (e.g. at least one item) */
  required?: boolean;
  help?: Text;
  widget?: Widget;
  reference?: keyof Reference;
  autoComplete?: string;
  /** message for a `pattern` mismatch */
  patternMessage?: Text;
  options?: Record<string, Text>;
}

export interface ServiceHints {
  sectionOrder?: string[];
  sections?: Record<string, Text>;
  /** optional sections the parent switches on or off (default on), with the switch's label */
  toggles?: Record<string, Text>;
  /** sections that apply only in some cases (hidden ones are not sent) */
  sectionWhen?: Record<string, (v: Values) => boolean>;
  /** fields that apply only in some cases; such a field is required while shown */
  fieldWhen?: Record<string, (v: Values) => boolean>;
  fields?: Record<string, FieldHint>;
  /** cross-field rules (mirroring the server's refinements) */
  checks?: (v: Values, enabled: (section: string) => boolean) => Array<{ path: string; message: Text }>;
}

/** What a service module adds to the console's texts (its `texts.ts`, data only). */
export interface ModuleTexts {
  /** UI strings of the module's own pages, merged into the console's typed string table */
  strings?: Readonly<Record<string, readonly [string, string]>>;
  /** how the module's application form asks for each field */
  hints?: ServiceHints;
  /** labels of the outputs the module's steps record (certificate numbers, the place offered…) */
  outputLabels?: Record<string, Text>;
  /** output values shown as words rather than codes */
  outputValues?: Record<string, Record<string, Text>>;
  /** outputs that are machine references, not for people */
  hiddenOutputs?: readonly string[];
  /** help for the outputs a caseworker types on approval */
  outputHelp?: Record<string, Text>;
}

export const t = (zh: string, en: string): Text => ({ 'zh-CN': zh, en });

/** Guardian fields (relation, employment, employer) under `prefix`. */
export const guardianFields = (prefix: string): Record<string, FieldHint> => ({
  [`${prefix}.relation`]: {
    label: t('与孩子关系', 'Relationship to the child'),
    options: {
      mother: t('母亲', 'Mother'),
      father: t('父亲', 'Father'),
      grandparent: t('祖父母/外祖父母', 'Grandparent'),
      other: t('其他监护人', 'Other guardian'),
    },
  },
  [`${prefix}.employment`]: {
    label: t('就业状况', 'Employment'),
    options: {
      employed: t('在职', 'Employed'),
      'self-employed': t('个体/自由职业', 'Self-employed'),
      'job-seeking': t('求职中', 'Looking for work'),
      'not-working': t('无工作', 'Not working'),
      student: t('在读学生', 'Student'),
    },
  },
  [`${prefix}.employer`]: { label: t('工作单位', 'Employer') },
});

export const sexOptions = { male: t('男', 'Male'), female: t('女', 'Female') };

/** datetime-local value (YYYY-MM-DDTHH:mm, Beijing time) → ISO 8601 with +08:00 */
export function toOffsetDateTime(local: string): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) return `${local}:00+08:00`;
  return local;
}

/** ISO 8601 instant → datetime-local value in Beijing time */
export function toLocalInput(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
}
