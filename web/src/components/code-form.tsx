/**
 * The fields of a form that asks for a one-time code by SMS (the progress lookup, linking a
 * family's case): values, the API's field errors shown at their fields, one labelled input, and
 * `run` for each request (busy while it runs, earlier errors cleared, its refusal shown).
 */
import { useState } from 'react';
import { ApiError, errorText } from '../api.ts';
import { useI18n } from '../i18n.tsx';

export function useCodeForm<F extends string>(fields: readonly F[], idPrefix: string) {
  const { tx } = useI18n();
  const [values, setValues] = useState<Record<F, string>>(
    Object.fromEntries(fields.map((f) => [f, ''])) as Record<F, string>,
  );
  const [errors, setErrors] = useState<Partial<Record<F, string>>>({});
  const [failure, setFailure] = useState('');

  /** The API's answer to a refused request: field errors at their fields, anything else above. */
  const fail = (err: unknown) => {
    const found: Partial<Record<F, string>> = {};
    if (err instanceof ApiError) {
      for (const f of err.fields) {
        const key = f.path as F;
        if ((fields as readonly string[]).includes(key)) found[key] = f.messages ? tx(f.messages) : f.message;
      }
    }
    setErrors(found);
    setFailure(Object.keys(found).length ? '' : errorText(err));
  };
  const reset = () => {
    setErrors({});
    setFailure('');
  };
  const [busy, setBusy] = useState(false);
  const run = async (request: () => Promise<void>) => {
    setBusy(true);
    reset();
    try {
      await request();
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const input = (
    name: F,
    label: string,
    opts: { help?: string; inputMode?: 'numeric' | 'tel' | 'text'; autoComplete?: string } = {},
  ) => {
    const id = `${idPrefix}-${name}`;
    const describedBy = [opts.help ? `${id}-help` : '', errors[name] ? `${id}-error` : '']
      .filter(Boolean)
      .join(' ');
    return (
      <div className={`field${errors[name] ? ' has-error' : ''}`}>
        <label htmlFor={id}>{label}</label>
        {opts.help ? (
          <p className="help" id={`${id}-help`}>
            {opts.help}
          </p>
        ) : null}
        {errors[name] ? (
          <p className="field-error" id={`${id}-error`}>
            {errors[name]}
          </p>
        ) : null}
        <input
          id={id}
          name={name}
          value={values[name]}
          inputMode={opts.inputMode}
          autoComplete={opts.autoComplete ?? 'off'}
          aria-invalid={errors[name] ? true : undefined}
          aria-describedby={describedBy || undefined}
          onChange={(e) => setValues({ ...values, [name]: e.target.value })}
        />
      </div>
    );
  };

  return { values, errors, failure, busy, run, input };
}
