'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useCallback, useTransition } from 'react';

export type ParamPatch = Record<string, string | null | undefined>;

/**
 * Changes some of the list's URL parameters in place (`router.replace`: typing a search does
 * not fill the history), keeping the others. Any change but the page's goes back to page 1.
 * The current URL is read when the change happens, so a debounced change never undoes one
 * made meanwhile by another control.
 */
export function useListNavigation() {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const update = useCallback(
    (patch: ParamPatch) => {
      const next = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(patch)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      if (!('page' in patch)) next.delete('page');
      const search = next.toString();
      startTransition(() => router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false }));
    },
    [router, pathname],
  );
  return { update, pending };
}
