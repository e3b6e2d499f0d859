import type { ActionState } from '@/lib/auth/action';

/** The outcome of an action that queued a job: where to follow it. */
export type JobActionState = (NonNullable<ActionState> & { jobId?: string }) | undefined;
