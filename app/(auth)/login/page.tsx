import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentUser } from '@/lib/auth/guards';
import { AuthShell } from '@/components/auth/auth-shell';
import { LoginForm } from '@/components/auth/login-form';
import { flattenParams, type RawSearchParams } from '@/app/_lib/search-params';
import { accountText } from '@/lib/texts/account';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

/** Open to everyone; a signed-in visitor goes straight to their landing page. */
export default async function LoginPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  if (await currentUser()) redirect('/');
  // next-auth sends its own failures here as ?error=...
  const { error } = flattenParams(await searchParams);

  return (
    <AuthShell
      title="Sign in"
      intro="The dashboard of the hosting farm."
      footer={
        <p>
          Have an activation code? <Link href="/create" className="font-medium text-indigo-700 hover:underline">Create your site</Link>
        </p>
      }
    >
      <LoginForm initialError={error} />
      <p className="mt-4 text-center text-sm">
        <Link href="/forgot-password" className="font-medium text-indigo-700 hover:underline">{accountText.forgot.loginLink}</Link>
      </p>
    </AuthShell>
  );
}
