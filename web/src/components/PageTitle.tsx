/** The page's h1: sets document.title and takes focus after in-app navigation (screen readers). */
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n.tsx';
import { navigationCount } from '../router.tsx';

export function PageTitle({ children, sub }: { children: string; sub?: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} - ${t('appName')}`;
  }, [children, t]);
  useEffect(() => {
    if (navigationCount() > 0) ref.current?.focus({ preventScroll: false });
  }, []);
  return (
    <div className="page-title">
      <h1 ref={ref} tabIndex={-1}>
        {children}
      </h1>
      {sub ? <p className="lead">{sub}</p> : null}
    </div>
  );
}
