/**
 * The family's pages also serve agents filing for families (代办), under /agent: the base of
 * their links, and whether the page is an agent's (who files and follows, but acts on nothing).
 */
import { useLocation } from '../../router.tsx';

export function useCitizenBase(): '/parent' | '/agent' {
  return useLocation().path.startsWith('/agent') ? '/agent' : '/parent';
}
