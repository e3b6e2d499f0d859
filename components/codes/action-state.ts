import type { ActionState } from '@/lib/auth/action';

/** The create-code form's outcome; `code` is the clear code, shown this once (only its hash is stored). */
export type CodeActionState = (NonNullable<ActionState> & { code?: string; label?: string }) | undefined;
