/** The list of errors at the top of a form (GOV.UK pattern): focused on submit, links to fields. */
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n.tsx';

export interface SummaryItem {
  key: string;
  label: string;
  message: string;
  /** element id to focus */
  target?: string;
  onSelect?(): void;
}

export function ErrorSummary({
  items,
  title,
  focusKey,
}: {
  items: SummaryItem[];
  title?: string;
  focusKey: number;
}) {
  const { t, lang } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus again on every new attempt
  useEffect(() => {
    if (items.length) ref.current?.focus();
  }, [focusKey]);
  if (!items.length) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{title ?? t('fixErrors')}</h2>
      <ul>
        {items.map((i) => (
          <li key={i.key}>
            <a
              href={i.target ? `#${i.target}` : '#'}
              onClick={(e) => {
                e.preventDefault();
                i.onSelect?.();
                if (i.target) {
                  const el = document.getElementById(i.target);
                  const focusable =
                    el && (el.tagName === 'FIELDSET' ? (el.querySelector('input') ?? el) : el);
                  (focusable as HTMLElement | null)?.focus();
                }
              }}
            >
              {i.label ? `${i.label}${lang === 'en' ? ': ' : '：'}` : ''}
              {i.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
