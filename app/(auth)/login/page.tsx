import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentUser } from '@/lib/auth/guards';
import { LoginForm } from '@/components/auth/login-form';
import { Logo } from '@/components/shell/logo';
import { flattenParams, type RawSearchParams } from '@/app/_lib/search-params';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

/** Open to everyone; a signed-in visitor goes straight to their landing page. */
export default async function LoginPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  if (await currentUser()) redirect('/');
  // next-auth sends its own failures here as ?error=...
  const { error } = flattenParams(await searchParams);

  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex justify-center">
          <Logo href="/login" />
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="mb-1 text-lg font-semibold text-slate-900">Sign in</h1>
          <p className="mb-5 text-sm text-slate-500">The dashboard of the hosting farm.</p>
          <LoginForm initialError={error} />
        </div>
        <p className="mt-4 text-center text-xs text-slate-500">Lost your password? Ask an admin to reset it.</p>
        <p className="mt-2 text-center text-xs text-slate-500">
          Have an activation code? <Link href="/create" className="font-medium text-indigo-700 hover:underline">Create your site</Link>
        </p>
      </div>
    </main>
  );
}
