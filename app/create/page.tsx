import type { Metadata } from 'next';
import Link from 'next/link';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { AuthShell } from '@/components/auth/auth-shell';
import { SignupForm } from '@/components/signup/signup-form';

export const metadata: Metadata = { title: 'Create your site' };
export const dynamic = 'force-dynamic';

/**
 * Public on purpose (no login): the self-service page for holders of an activation code.
 * The page itself shows nothing from the registry; the sign-up route does the checks.
 */
export default function CreatePage() {
  return (
    <AuthShell
      title="Create your site"
      intro="With the activation code you were given. You become its webmaster."
      footer={
        <p>
          Already have an account? <Link href="/login" className="font-medium text-indigo-700 hover:underline">Sign in</Link>
        </p>
      }
    >
      <SignupForm minPassword={MIN_PASSWORD_LENGTH} />
    </AuthShell>
  );
}
