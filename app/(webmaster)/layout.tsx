import Link from 'next/link';
import { requireUser } from '@/lib/auth/guards';
import { getTranslations } from 'next-intl/server';
import { Logo } from '@/components/shell/logo';
import { UserMenu } from '@/components/shell/user-menu';

export const dynamic = 'force-dynamic';

/** The webmasters' space: a small header, no admin navigation. Pages check access themselves too. */
export default async function WebmasterLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const t = await getTranslations('shell');
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-4xl items-center justify-between gap-2 px-4">
          <div className="flex min-w-0 items-center gap-4">
            <Logo href="/" />
            <Link href="/my" className="text-sm font-medium text-slate-600 hover:text-slate-900">
              {t('sections.mySites')}
            </Link>
            {user.role === 'admin' && (
              <Link href="/" className="hidden text-sm font-medium text-slate-600 hover:text-slate-900 sm:inline">
                {t('adminDashboard')}
              </Link>
            )}
          </div>
          <UserMenu email={user.email} role={user.role} />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-4xl px-4 py-8 focus:outline-none">
        {children}
      </main>
    </div>
  );
}
