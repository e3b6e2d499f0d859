'use client';

import { useTranslations } from 'next-intl';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

interface Selection {
  /** the hosts on this page, in order */
  hosts: string[];
  selected: Set<string>;
  toggle(host: string, on: boolean): void;
  setAll(on: boolean): void;
  clear(): void;
}

const SelectionContext = createContext<Selection | null>(null);

/**
 * Which rows of the current page are ticked, for bulk actions. The table stays rendered on
 * the server; only the checkboxes and the action bar read this. Hosts that leave the page
 * (another filter, another page) leave the selection.
 */
export function SelectionProvider({ hosts, children }: { hosts: string[]; children: ReactNode }) {
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const key = hosts.join('\n');
  const lastKey = useRef(key);
  useEffect(() => {
    if (lastKey.current === key) return;
    lastKey.current = key;
    const onPage = new Set(hosts);
    setSelected((s) => new Set([...s].filter((h) => onPage.has(h))));
  }, [key, hosts]);

  const value: Selection = {
    hosts,
    selected,
    toggle: (host, on) =>
      setSelected((s) => {
        const next = new Set(s);
        if (on) next.add(host);
        else next.delete(host);
        return next;
      }),
    setAll: (on) => setSelected(on ? new Set(hosts) : new Set()),
    clear: () => setSelected(new Set()),
  };
  return <SelectionContext.Provider value={value}>{children}</SelectionContext.Provider>;
}

export function useSelection(): Selection {
  const s = useContext(SelectionContext);
  if (!s) throw new Error('useSelection needs a SelectionProvider above it');
  return s;
}

/** A selection checkbox's look (the list's rows take theirs from the `site-rows` rules of app/globals.css). */
const CHECKBOX_CLASS = 'size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600';

export function SelectAllCheckbox() {
  const t = useTranslations('ui');
  const { hosts, selected, setAll } = useSelection();
  const all = hosts.length > 0 && hosts.every((h) => selected.has(h));
  const some = !all && hosts.some((h) => selected.has(h));
  return (
    <input
      type="checkbox"
      className={CHECKBOX_CLASS}
      aria-label={t('selectPage')}
      checked={all}
      ref={(el) => {
        if (el) el.indeterminate = some;
      }}
      onChange={(e) => setAll(e.target.checked)}
    />
  );
}
