'use client';

import Link from 'next/link';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { StatusBadge } from '@/components/ui/badge';
import { TD, TR } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time';
import { DeleteUserForm } from './delete-user-form';
import { ResetPasswordForm } from './reset-password-form';
import { ChangeRoleForm } from './change-role-form';
import { HostName } from '@/components/sites/host-name';
import { useTranslations } from 'next-intl';

export interface UserRowData {
  id: string;
  email: string;
  name: string | null;
  role: string;
  sites: number;
  siteHosts: string[];
  createdAt: string;
  lastLoginAt: string | null;
}

const SITES_SHOWN = 5;

/** A user, and under it (on demand) the forms that change them. */
export function UserRow({ user, isSelf }: { user: UserRowData; isSelf: boolean }) {
  const t = useTranslations('users.table');
  const [open, setOpen] = useState(false);
  return (
    <>
      <TR>
        <TD>
          <div className="font-medium text-slate-900">{user.email}</div>
          {user.name && <div className="text-xs text-slate-500">{user.name}</div>}
        </TD>
        <TD><StatusBadge status={user.role} /></TD>
        <TD>
          {user.siteHosts.length ? (
            <ul className="max-w-64 space-y-0.5" aria-label={t('sitesOf', { email: user.email })}>
              {user.siteHosts.slice(0, SITES_SHOWN).map((h) => (
                <li key={h} className="truncate">
                  <Link href={`/sites/${h}`} className="text-indigo-700 hover:underline"><HostName host={h} /></Link>
                </li>
              ))}
              {user.siteHosts.length > SITES_SHOWN && (
                <li>
                  <Link href={`/sites?webmaster=${encodeURIComponent(user.email)}`} className="text-xs text-indigo-700 hover:underline">
                    {t('moreSites', { n: user.siteHosts.length - SITES_SHOWN })}
                  </Link>
                </li>
              )}
            </ul>
          ) : (
            <span className="text-slate-600">{t('noSites')}</span>
          )}
        </TD>
        <TD><TimeAgo date={user.createdAt} /></TD>
        <TD>{user.lastLoginAt ? <TimeAgo date={user.lastLoginAt} /> : <span className="text-slate-500">{t('never')}</span>}</TD>
        <TD className="text-right">
          <Button variant="ghost" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? t('close') : t('manage')}
          </Button>
        </TD>
      </TR>
      {open && (
        <tr className="bg-slate-50">
          <td colSpan={6} className="px-4 py-4">
            <div className="grid gap-6 md:grid-cols-3">
              <section>
                <h3 className="mb-2 text-sm font-semibold text-slate-900">{t('role')}</h3>
                {isSelf ? <p className="text-sm text-slate-600">{t('selfRole')}</p> : <ChangeRoleForm email={user.email} role={user.role} />}
              </section>
              <section>
                <h3 className="mb-2 text-sm font-semibold text-slate-900">{t('password')}</h3>
                <ResetPasswordForm email={user.email} />
              </section>
              <section>
                <h3 className="mb-2 text-sm font-semibold text-slate-900">{t('delete')}</h3>
                {isSelf ? (
                  <p className="text-sm text-slate-600">{t('selfDelete')}</p>
                ) : (
                  <DeleteUserForm email={user.email} />
                )}
              </section>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
