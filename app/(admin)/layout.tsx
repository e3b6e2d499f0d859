import { requireUser } from '@/lib/auth/guards';
import { Logo } from '@/components/shell/logo';
import { NavLink } from '@/components/shell/nav-link';
import { UserMenu } from '@/components/shell/user-menu';

export const dynamic = 'force-dynamic';

const sections = [
  { href: '/', label: 'Overview' },
  { href: '/sites', label: 'Sites' },
  { href: '/servers', label: 'Servers' },
  { href: '/platforms', label: 'Platforms' },
  { href: '/runs', label: 'Upgrade runs' },
  { href: '/codes', label: 'Activation codes' },
  { href: '/jobs', label: 'Jobs' },
  { href: '/audit', label: 'Audit trail' },
  { href: '/users', label: 'Users' },
];

/**
 * The admin shell. Every page below checks the role itself; this layout only decides
 * whether to draw the admin navigation. A webmaster gets no shell: the overview sends
 * them to /my, every other page answers 403 (a layout cannot know which page it wraps).
 */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  if (user.role !== 'admin') return <>{children}</>;
  return (
    <div className="min-h-screen md:flex">
      <aside className="border-b border-slate-200 bg-white md:w-56 md:shrink-0 md:border-r md:border-b-0">
        <div className="md:sticky md:top-0">
          <div className="flex h-14 items-center px-4">
            <Logo />
          </div>
          <nav aria-label="Main" className="flex gap-1 overflow-x-auto px-2 pb-2 md:flex-col md:pb-0">
            {sections.map((s) => (
              <NavLink key={s.href} href={s.href}>
                {s.label}
              </NavLink>
            ))}
          </nav>
        </div>
      </aside>
      <div className="min-w-0 flex-1">
        <header className="flex h-14 items-center justify-end border-b border-slate-200 bg-white px-4 md:px-8">
          <UserMenu email={user.email} role={user.role} />
        </header>
        <main className="mx-auto max-w-6xl px-4 py-8 md:px-8">{children}</main>
      </div>
    </div>
  );
}
