'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { adoptSiteAction } from '@/app/(admin)/sites/scan/actions';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/form';
import { sitePageHref } from './site-links';

export interface PlatformChoice {
  name: string;
  profile: string;
  label: string;
}

/**
 * Adopting one found folder: a registry entry from what its connection file says. The
 * platform defaults to the registered one of the folder's kind; another can be chosen.
 */
export function AdoptFolder({ host, profile, platforms }: { host: string; profile: string; platforms: PlatformChoice[] }) {
  const t = useTranslations('scan.adopt');
  const [state, dispatch, pending] = useActionState(adoptSiteAction, undefined);
  // The first of its kind is the one adopting picks by default (the list comes in that order).
  const choices = platforms.filter((p) => p.profile === profile);
  if (state?.ok && state.host) {
    return (
      <p role="status" className="text-sm text-emerald-800">
        {t('done')}{' '}
        <Link href={sitePageHref(state.host)} className="font-medium text-indigo-600 hover:text-indigo-500">
          {t('open')}
        </Link>
      </p>
    );
  }
  return (
    <form action={dispatch} className="flex flex-col items-end gap-1" aria-label={t('label', { host })}>
      <input type="hidden" name="host" value={host} />
      <span className="flex items-center gap-2">
        {choices.length > 1 && (
          <Select name="platform" defaultValue="" aria-label={t('platform', { host })} className="w-52">
            <option value="">{t('default', { platform: choices[0]!.label })}</option>
            {choices.slice(1).map((p) => (
              <option key={p.name} value={p.name}>
                {p.label}
              </option>
            ))}
          </Select>
        )}
        {choices.length === 1 && <span className="text-xs text-slate-500">{t('on', { platform: choices[0]!.label })}</span>}
        {choices.length === 0 && <span className="text-xs text-amber-700">{t('noPlatform', { profile })}</span>}
        <Button type="submit" disabled={pending}>
          {pending ? t('pending') : t('submit')}
        </Button>
      </span>
      {state?.error && (
        <p role="alert" className="max-w-80 text-right text-xs text-red-600">
          {state.error}
        </p>
      )}
    </form>
  );
}
