import Link from 'next/link';
import { FormMessage } from '@/components/ui/form';

/** Where an account form ends: what happened, and the way on. */
export function Outcome({ state, link }: { state: { message?: string; error?: string }; link?: { href: string; label: string } }) {
  return (
    <div className="space-y-4">
      <FormMessage state={state} />
      {link && (
        <Link href={link.href} className="block text-center text-sm font-medium text-indigo-700 hover:underline">
          {link.label}
        </Link>
      )}
    </div>
  );
}
