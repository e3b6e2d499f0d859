import { requireUser } from '@/lib/auth/guards';
import { getTranslations } from 'next-intl/server';
import { AdminNav } from '@/components/shell/admin-nav';
import { Logo } from '@/components/shell/logo';
import { UserMenu } from '@/components/shell/user-menu';

export const dynamic = 'force-dynamic';

const SECTIONS = [
  { href: '/', key: 'overview' },
  { href: '/sites', key: 'sites' },
  { href: '/servers', key: 'servers' },
  { href: '/nodes', key: 'nodes' },
  { href: '/platforms', key: 'platforms' },
  { href: '/runs', key: 'runs' },
  { href: '/codes', key: 'codes' },
  { href: '/jobs', key: 'jobs' },
  { href: '/audit', key: 'audit' },
  { href: '/users', key: 'users' },
] as const;

/**
 * The admin shell. Every page below checks the role itself; this layout only decides
 * whether to draw the admin navigation. A webmaster gets no shell: the overview sends
 * them to /my, every other page answers 403 (a layout cannot know which page it wraps).
 */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  if (user.role !== 'admin') return <>{children}</>;
  const t = await getTranslations('shell.sections');
  const nodes = await getTranslations('nodes');
  const sections = SECTIONS.map((s) => ({ href: s.href, label: s.key === 'nodes' ? nodes('nav') : t(s.key) }));
  const account = <UserMenu email={user.email} role={user.role} />;
  return (
    <div className="min-h-screen md:flex">
      <aside className="border-b border-slate-200 bg-white md:w-56 md:shrink-0 md:border-r md:border-b-0">
        <AdminNav sections={sections} logo={<Logo />} account={account} />
      </aside>
      <div className="min-w-0 flex-1">
        <header className="hidden h-14 items-center justify-end border-b border-slate-200 bg-white px-8 md:flex">{account}</header>
        <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-8 focus:outline-none md:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}
