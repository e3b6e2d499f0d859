'use client';

import Link from 'next/link';
import { signOut } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useActionState, useEffect, useId, useRef, useState } from 'react';
import { signOutEverywhereAction } from '@/app/(auth)/actions';
import { cx } from '@/components/ui/cx';

const item = 'block w-full rounded-md px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100 hover:text-slate-900 disabled:opacity-50';

/** Who is signed in, in a menu: their password, and the ways out (this browser, or every session of the account). */
export function UserMenu({ email, role }: { email: string; role: string }) {
  const t = useTranslations('account.menu');
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const [state, everywhere, pendingEverywhere] = useActionState(signOutEverywhereAction, undefined);
  const box = useRef<HTMLDivElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  return (
    <div ref={box} className="relative min-w-0">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={id}
        aria-label={t('open', { email })}
        onClick={() => setOpen(!open)}
        className="flex min-w-0 items-center gap-1.5 rounded-md px-2 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <span className="max-w-[9rem] truncate sm:max-w-[16rem]" data-testid="signed-in-email">{email}</span>
        <span aria-hidden className="text-xs text-slate-500">▾</span>
      </button>
      <div id={id} hidden={!open} className={cx('absolute right-0 z-30 mt-2 w-64 max-w-[calc(100vw-2rem)] rounded-lg bg-white p-1.5 shadow-lg ring-1 ring-slate-200')}>
        <div className="border-b border-slate-100 px-3 pt-1 pb-2">
          <p className="truncate text-sm font-medium text-slate-900">{email}</p>
          <p className="text-xs text-slate-600">{t('role', { role })}</p>
        </div>
        <Link href="/account/password" className={cx(item, 'mt-1')} onClick={() => setOpen(false)}>
          {t('changePassword')}
        </Link>
        <Link href="/account/language" className={item} onClick={() => setOpen(false)}>
          {t('language')}
        </Link>
        <button
          type="button"
          className={item}
          disabled={signingOut}
          onClick={async () => {
            setSigningOut(true);
            // No server-side redirect: next-auth builds it from NEXTAUTH_URL, which may not be
            // this address. A full load of /login also drops every cached query of the session.
            await signOut({ redirect: false, callbackUrl: '/login' }).catch(() => undefined);
            // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load, so every part of the page sees the session change
            window.location.assign('/login');
          }}
        >
          {signingOut ? t('signingOut') : t('signOut')}
        </button>
        <form action={everywhere}>
          <button type="submit" className={item} disabled={pendingEverywhere} title={t('signOutEverywhereTitle')}>
            {pendingEverywhere ? t('signingOut') : t('signOutEverywhere')}
          </button>
          {state?.error && <p role="alert" className="px-3 pb-1 text-xs text-red-700">{state.error}</p>}
        </form>
      </div>
    </div>
  );
}
