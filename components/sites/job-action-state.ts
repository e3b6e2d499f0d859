import type { ActionState } from '@/lib/auth/action';

import type { QueuedOnNode } from '@/lib/sites/on-demand';

/**
 * The outcome of an action that queued a job: where to follow it. An action over sites of
 * several nodes queues one job per node: `jobs` lists them all (`jobId` is the first).
 */
export type JobActionState = (NonNullable<ActionState> & { jobId?: string; jobs?: QueuedOnNode[] }) | undefined;
