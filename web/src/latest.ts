/**
 * Answers that arrive out of order: a page that reloads when a filter changes (a month, a
 * status, a plan) can get the answer for the old filter after the one for the new filter, and
 * would then show the old month under the new one. `useLatest()` gives each load a ticket;
 * only the newest ticket may set state.
 */
import { useCallback, useRef } from 'react';

export function useLatest(): () => () => boolean {
  const seq = useRef(0);
  return useCallback(() => {
    seq.current += 1;
    const mine = seq.current;
    return () => mine === seq.current;
  }, []);
}
