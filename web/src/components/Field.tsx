/** One generated form field: label, help, the input, and its inline error (WCAG: labelled, described). */
import type { ReactNode } from 'react';
import type { FieldModel, Option } from '../forms/model.ts';
import { type Text, useI18n } from '../i18n.tsx';
import type { Reference } from '../types.ts';

export const fieldId = (path: string) => `f-${path.replace(/[^\w-]/g, '-')}`;

interface Props {
  field: FieldModel;
  value: string | string[] | undefined;
  error?: Text | null;
  required: boolean;
  reference?: Reference;
  onChange(value: string | string[]): void;
  onBlur?(): void;
  /** extra help under the label (e.g. the masked value to match) */
  extraHelp?: string;
}

export function optionsOf(field: FieldModel, reference?: Reference): Option[] {
  if (field.reference && reference) {
    return (reference[field.reference] as Array<{ id: string; name: Text }>).map((r) => ({
      value: r.id,
      label: r.name,
    }));
  }
  return field.options ?? [];
}

export function FieldInput({ field, value, error, required, reference, onChange, onBlur, extraHelp }: Props) {
  const { t, tx } = useI18n();
  const id = fieldId(field.path);
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const help = [field.help ? tx(field.help) : '', extraHelp ?? ''].filter(Boolean).join(' ');
  const describedBy = [help ? helpId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const label = (
    <>
      {tx(field.label)}
      {required ? (
        <span className="req" aria-hidden="true">
          {' '}
          *
        </span>
      ) : (
        <span className="optional"> （{t('optional')}）</span>
      )}
    </>
  );
  const helpEl = help ? (
    <p className="help" id={helpId}>
      {help}
    </p>
  ) : null;
  const errorEl = error ? (
    <p className="field-error" id={errorId}>
      <span aria-hidden="true">⚠ </span>
      {tx(error)}
    </p>
  ) : null;
  const options = optionsOf(field, reference);

  if (field.widget === 'list') {
    const count = Math.min(field.schema.maxItems ?? 3, 5);
    const list = Array.isArray(value) ? value : [];
    return (
      <fieldset
        className={`field group${error ? ' has-error' : ''}`}
        id={id}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        tabIndex={-1}
      >
        <legend>{label}</legend>
        {helpEl}
        {Array.from({ length: count }, (_, i) => {
          const iid = `${id}-${i}`;
          return (
            <div key={iid} className="list-entry">
              <label htmlFor={iid}>{t('field.entry', { n: i + 1 })}</label>
              <input
                id={iid}
                type="text"
                value={list[i] ?? ''}
                onChange={(e) => {
                  const next = Array.from({ length: count }, (_, k) => list[k] ?? '');
                  next[i] = e.target.value;
                  while (next.length && next[next.length - 1] === '') next.pop();
                  onChange(next);
                }}
                onBlur={onBlur}
              />
            </div>
          );
        })}
        {errorEl}
      </fieldset>
    );
  }

  if (field.widget === 'radio' || field.widget === 'checkboxes' || field.widget === 'boolean') {
    const multi = field.widget === 'checkboxes';
    const selected = Array.isArray(value) ? value : value ? [value] : [];
    return (
      <fieldset
        className={`field group${error ? ' has-error' : ''}`}
        id={id}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        tabIndex={-1}
      >
        <legend>{label}</legend>
        {helpEl}
        <div className="choices">
          {options.map((o) => {
            const oid = `${id}-${o.value}`;
            return (
              <label key={o.value} htmlFor={oid} className="choice">
                <input
                  id={oid}
                  type={multi ? 'checkbox' : 'radio'}
                  name={id}
                  value={o.value}
                  checked={selected.includes(o.value)}
                  onChange={(e) => {
                    if (!multi) onChange(o.value);
                    else
                      onChange(
                        e.target.checked ? [...selected, o.value] : selected.filter((x) => x !== o.value),
                      );
                  }}
                  onBlur={onBlur}
                />
                <span>{tx(o.label)}</span>
              </label>
            );
          })}
        </div>
        {errorEl}
      </fieldset>
    );
  }

  const common = {
    id,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : undefined,
    'aria-required': required || undefined,
    onBlur,
  } as const;
  const str = typeof value === 'string' ? value : '';
  let input: ReactNode;
  if (field.widget === 'select') {
    input = (
      <select {...common} value={str} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('choose')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {tx(o.label)}
          </option>
        ))}
      </select>
    );
  } else if (field.widget === 'textarea') {
    input = (
      <textarea
        {...common}
        value={str}
        rows={3}
        maxLength={field.schema.maxLength}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  } else {
    const type =
      field.widget === 'email'
        ? 'email'
        : field.widget === 'tel'
          ? 'tel'
          : field.widget === 'datetime'
            ? 'datetime-local'
            : field.widget === 'date'
              ? 'date'
              : 'text';
    input = (
      <input
        {...common}
        type={type}
        value={str}
        autoComplete={field.autoComplete ?? (field.widget === 'idNumber' ? 'off' : undefined)}
        inputMode={
          field.widget === 'number' || field.widget === 'tel'
            ? 'numeric'
            : field.widget === 'email'
              ? 'email'
              : undefined
        }
        maxLength={field.widget === 'idNumber' ? 18 : field.schema.maxLength}
        spellCheck={field.widget === 'text' ? undefined : false}
        className={field.widget === 'idNumber' ? 'mono' : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {helpEl}
      {input}
      {errorEl}
    </div>
  );
}
