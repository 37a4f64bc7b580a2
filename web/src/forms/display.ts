/** Human-readable values of form fields (review page, case view, timeline). */
import { optionsOf } from '../components/Field.tsx';
import type { I18n } from '../i18n.tsx';
import type { Reference } from '../types.ts';
import { toOffsetDateTime } from './hints.ts';
import type { FieldModel } from './model.ts';

export function displayValue(
  field: FieldModel,
  raw: unknown,
  i18n: Pick<I18n, 'tx' | 'dt' | 't'>,
  reference?: Reference,
): string {
  if (raw === undefined || raw === null || raw === '') return '—';
  const options = optionsOf(field, reference);
  const label = (v: string) => {
    const o = options.find((x) => x.value === v);
    return o ? i18n.tx(o.label) : v;
  };
  if (Array.isArray(raw)) return raw.length ? raw.map((v) => label(String(v))).join('、') : '—';
  const value = String(raw);
  if (field.widget === 'datetime') return i18n.dt(toOffsetDateTime(value));
  if (field.widget === 'number' && field.key.toLowerCase().includes('grams'))
    return `${value} ${i18n.t('unit.grams')}`;
  return options.length ? label(value) : value;
}
