import { signOutEverywhereAction } from '@/app/(auth)/actions';
import { ActionButton } from '@/components/ui/action-button';
import { SignOutButton } from './sign-out-button';

/** Who is signed in, and the ways out: this browser, or every session of the account. */
export function UserMenu({ email, role }: { email: string; role: string }) {
  return (
    <div className="flex items-center gap-3">
      <div className="min-w-0 text-right leading-tight">
        <p className="truncate text-sm font-medium text-slate-800" data-testid="signed-in-email">{email}</p>
        <p className="text-xs text-slate-500">{role}</p>
      </div>
      <SignOutButton />
      <ActionButton
        action={signOutEverywhereAction}
        fields={{}}
        label="Sign out everywhere"
        pendingLabel="Signing out…"
        variant="ghost"
        title="Ends every session of your account, on every computer and browser, this one included."
      />
    </div>
  );
}
