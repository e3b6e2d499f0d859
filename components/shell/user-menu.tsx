import { SignOutButton } from './sign-out-button';

/** Who is signed in, and the way out. */
export function UserMenu({ email, role }: { email: string; role: string }) {
  return (
    <div className="flex items-center gap-3">
      <div className="min-w-0 text-right leading-tight">
        <p className="truncate text-sm font-medium text-slate-800" data-testid="signed-in-email">{email}</p>
        <p className="text-xs text-slate-500">{role}</p>
      </div>
      <SignOutButton />
    </div>
  );
}
