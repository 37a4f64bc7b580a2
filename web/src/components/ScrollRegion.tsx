/**
 * A labelled region that scrolls sideways on narrow screens (tables, the diagram). It takes
 * keyboard focus so it can be scrolled without a mouse (WCAG 2.1.1; axe scrollable-region-focusable).
 */
import type { ReactNode } from 'react';

export function ScrollRegion({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section className={className ?? 'table-wrap'} aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
