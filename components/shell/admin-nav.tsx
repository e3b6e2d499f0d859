'use client';

import { useTranslations } from 'next-intl';
import { usePathname } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { cx } from '@/components/ui/cx';
import { NavLink } from './nav-link';

/**
 * The admin navigation: a sidebar on wide screens; on narrow ones a top bar with a Menu
 * button that opens it below, closed again on each new page.
 */
export function AdminNav({ sections, logo, account }: { sections: { href: string; label: string }[]; logo: ReactNode; account: ReactNode }) {
  const t = useTranslations('shell');
  const pathname = usePathname();
  // Open on the page where it was opened: a new page closes it, with no effect to run.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const setOpen = (value: boolean) => setOpenOn(value ? pathname : null);
  return (
    <div className="md:sticky md:top-0">
      <div className="flex h-14 items-center justify-between gap-2 px-4">
        {logo}
        <div className="flex min-w-0 items-center gap-1 md:hidden">
          {account}
          <button
            type="button"
            aria-expanded={open}
            aria-controls="main-nav"
            onClick={() => setOpen(!open)}
            className="rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            {open ? t('closeMenu') : t('menu')}
          </button>
        </div>
      </div>
      {/* A link followed closes the menu at once (and a new page closes it too, whatever opened it). */}
      <nav id="main-nav" aria-label={t('mainNav')} onClick={(e) => (e.target as HTMLElement).closest('a') && setOpen(false)} className={cx(open ? 'flex' : 'hidden', 'flex-col gap-1 px-2 pb-2 md:flex md:pb-4')}>
        {sections.map((s) => (
          <NavLink key={s.href} href={s.href}>
            {s.label}
          </NavLink>
        ))}
      </nav>
    </div>
  );
}
