/**
 * Admin changes of reference data: validated per kind (field-level errors in zh-CN and en),
 * checked against the other kinds (a hospital's township exists, births name a hospital), then
 * appended as an audited change with its effective date.
 */
import type * as z from 'zod';
import { type FieldError, ValidationError } from '../errors.ts';
import { toFieldErrors } from '../forms/zod-errors.ts';
import { t } from '../i18n.ts';
import {
  defaultEffectiveFrom,
  type ReferenceChange,
  type ReferenceEntry,
  type ReferenceKind,
  type RefValues,
  referenceIdPatterns,
  referencePatchSchemas,
  referenceValueSchemas,
  seedAgencies,
} from './book.ts';
import type { ReferenceStore } from './ports.ts';

export interface ChangeRequest {
  kind: ReferenceKind;
  id: string;
  /** the version the admin read (0: a new entry) */
  version: number;
  effectiveFrom?: string | undefined;
  values: Record<string, unknown>;
  note?: string | undefined;
}

const fail = (path: string, code: string, zh: string, en: string): FieldError => ({
  path,
  code,
  message: t(zh, en),
});

/** Validates a change without writing it; returns the parsed values and the effective date. */
export async function checkChange(
  store: ReferenceStore,
  req: ChangeRequest,
  known?: { townships?: ReferenceEntry[]; hospitals?: ReferenceEntry[] },
): Promise<{ values: RefValues; effectiveFrom: string }> {
  const errors: FieldError[] = [];
  if (!referenceIdPatterns[req.kind].test(req.id)) {
    errors.push(fail('id', 'id.format', '编号格式不正确', 'The id is not in the expected format'));
  }
  const schema: z.ZodType =
    req.version === 0 ? referenceValueSchemas[req.kind] : referencePatchSchemas[req.kind];
  const parsed = schema.safeParse(req.values);
  if (!parsed.success) errors.push(...toFieldErrors(parsed.error, ['values']));
  else if (Object.keys(parsed.data as object).length === 0) {
    errors.push(fail('values', 'values.empty', '没有要修改的字段', 'Nothing to change'));
  }
  const effectiveFrom = req.effectiveFrom ?? defaultEffectiveFrom(req.kind, req.id);
  if (!effectiveFrom && errors.every((e) => e.path !== 'id')) {
    errors.push(
      fail('effectiveFrom', 'required', '请填写生效日期', 'Enter the date the change takes effect'),
    );
  }
  if (req.kind === 'agencies' && req.version === 0 && !seedAgencies().some((a) => a.id === req.id)) {
    // agencies come from the services' steps: an id no step names would decide nothing
    errors.push(
      fail(
        'id',
        'agency.unknown',
        '没有这个部门：部门由各服务的办理环节确定，不能在此新增',
        'No such agency: agencies come from the services’ steps and cannot be added here',
      ),
    );
  }
  if (errors.length > 0) throw new ValidationError(errors);
  const values = parsed.data as RefValues;

  // references to other kinds
  if (req.kind === 'hospitals' && typeof values.township === 'string') {
    const townships = known?.townships ?? (await store.list('townships'));
    if (!townships.some((e) => e.id === values.township)) {
      errors.push(fail('values.township', 'township.unknown', '没有这个乡镇（街道）', 'No such township'));
    }
  }
  if (req.kind === 'births') {
    const hospitals = known?.hospitals ?? (await store.list('hospitals'));
    const hospital = req.id.split(':')[0];
    if (!hospitals.some((e) => e.id === hospital)) {
      errors.push(fail('id', 'hospital.unknown', '没有这个助产机构', 'No such hospital'));
    }
  }
  if (errors.length > 0) throw new ValidationError(errors);
  return { values, effectiveFrom: effectiveFrom as string };
}

export async function changeReference(
  store: ReferenceStore,
  req: ChangeRequest,
  by: string,
): Promise<ReferenceChange> {
  const { values, effectiveFrom } = await checkChange(store, req);
  return store.change(
    { kind: req.kind, id: req.id, effectiveFrom, values, by, ...(req.note ? { note: req.note } : {}) },
    req.version,
  );
}

export interface BirthsImportResult {
  rows: number;
  changed: number;
  unchanged: number;
}

const CSV_ROW = /^\s*([^,\s]+)\s*,\s*([^,\s]+)\s*,\s*([^,\s]+)\s*$/;

/**
 * Births per hospital per month from CSV (`hospital,month,births`, an optional header line).
 * Every row is checked before anything is written; a row whose figure is already the stored one
 * changes nothing, so importing the same file twice (or twice at once) leaves one change per
 * figure.
 */
export async function importBirths(
  store: ReferenceStore,
  csv: string,
  by: string,
): Promise<BirthsImportResult> {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
  const hospitals = await store.list('hospitals');
  const rows: Array<{ id: string; births: number }> = [];
  const errors: FieldError[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const m = CSV_ROW.exec(line);
    const at = `csv.${i + 1}`;
    if (!m) {
      errors.push(
        fail(at, 'csv.row', '每行应为：机构编号,年月,出生数', 'Each row is: hospital,month,births'),
      );
      continue;
    }
    const [, hospital, month, births] = m as unknown as [string, string, string, string];
    if (i === 0 && !/^\d/.test(births)) continue; // header
    try {
      const checked = await checkChange(
        store,
        { kind: 'births', id: `${hospital}:${month}`, version: 0, values: { births } },
        { hospitals },
      );
      rows.push({ id: `${hospital}:${month}`, births: Number(checked.values.births) });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      errors.push(...err.fields.map((f) => ({ ...f, path: `${at}.${f.path.replace(/^values\./, '')}` })));
    }
  }
  if (rows.length === 0 && errors.length === 0) {
    errors.push(fail('csv', 'csv.empty', '文件没有数据行', 'The file has no data rows'));
  }
  if (errors.length > 0) throw new ValidationError(errors);

  let changed = 0;
  let unchanged = 0;
  for (const row of rows) {
    for (let attempt = 0; ; attempt++) {
      const current = (await store.list('births')).find((e) => e.id === row.id);
      const last = current?.history.at(-1);
      const stored = current
        ? current.history.reduce<RefValues>((v, c) => Object.assign(v, c.values), {})
        : {};
      if (last && stored.births === row.births) {
        unchanged++;
        break;
      }
      try {
        await store.change(
          {
            kind: 'births',
            id: row.id,
            effectiveFrom: defaultEffectiveFrom('births', row.id) as string,
            values: { births: row.births },
            by,
            note: 'CSV',
          },
          current?.version ?? 0,
        );
        changed++;
        break;
      } catch (err) {
        // another import (or admin) wrote this figure meanwhile: read again and compare
        if ((err as Error).name !== 'VersionConflictError' || attempt >= 4) throw err;
      }
    }
  }
  return { rows: rows.length, changed, unchanged };
}
