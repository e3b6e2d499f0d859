import type { Metadata } from 'next';
import Link from 'next/link';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { Logo } from '@/components/shell/logo';
import { SignupForm } from '@/components/signup/signup-form';

export const metadata: Metadata = { title: 'Create your site' };
export const dynamic = 'force-dynamic';

/**
 * Public on purpose (no login): the self-service page for holders of an activation code.
 * The page itself shows nothing from the registry; the sign-up route does the checks.
 */
export default function CreatePage() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex justify-center">
          <Logo href="/login" />
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="mb-1 text-lg font-semibold text-slate-900">Create your site</h1>
          <p className="mb-5 text-sm text-slate-500">With the activation code you were given. You become its webmaster.</p>
          <SignupForm minPassword={MIN_PASSWORD_LENGTH} />
        </div>
        <p className="mt-4 text-center text-xs text-slate-500">
          Already have an account? <Link href="/login" className="font-medium text-indigo-700 hover:underline">Sign in</Link>
        </p>
      </div>
    </main>
  );
}
