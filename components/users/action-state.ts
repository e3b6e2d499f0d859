import type { ActionState } from '@/lib/auth/action';

/** A users form's outcome; `password` is a generated password, shown once and never stored in clear. */
export type UserActionState = (NonNullable<ActionState> & { password?: string; email?: string }) | undefined;
