import { requireUser } from '@/lib/auth/guards';
import { shellText } from '@/lib/texts/shell';
import { AdminNav } from '@/components/shell/admin-nav';
import { Logo } from '@/components/shell/logo';
import { UserMenu } from '@/components/shell/user-menu';

export const dynamic = 'force-dynamic';

const s = shellText.sections;
const sections = [
  { href: '/', label: s.overview },
  { href: '/sites', label: s.sites },
  { href: '/servers', label: s.servers },
  { href: '/platforms', label: s.platforms },
  { href: '/runs', label: s.runs },
  { href: '/codes', label: s.codes },
  { href: '/jobs', label: s.jobs },
  { href: '/audit', label: s.audit },
  { href: '/users', label: s.users },
];

/**
 * The admin shell. Every page below checks the role itself; this layout only decides
 * whether to draw the admin navigation. A webmaster gets no shell: the overview sends
 * them to /my, every other page answers 403 (a layout cannot know which page it wraps).
 */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  if (user.role !== 'admin') return <>{children}</>;
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
