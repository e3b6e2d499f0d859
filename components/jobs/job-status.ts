import { FINISHED_STATUSES } from '@/lib/jobs/types';
import type { JobSummary } from '@/lib/jobs/query';

/** Client-safe job helpers (no registry access). */
export const isFinished = (status: string) => (FINISHED_STATUSES as string[]).includes(status);

export const canCancel = (job: Pick<JobSummary, 'status' | 'cancelRequested'>) =>
  (job.status === 'queued' || job.status === 'running') && !job.cancelRequested;

/** Time a job ran (or has been running so far), in ms; null before it starts. */
export function jobDurationMs(job: Pick<JobSummary, 'startedAt' | 'finishedAt'>, now = new Date()): number | null {
  if (!job.startedAt) return null;
  return (job.finishedAt ? new Date(job.finishedAt) : now).getTime() - new Date(job.startedAt).getTime();
}

export function progressTone(status: string): 'accent' | 'good' | 'bad' | 'muted' {
  if (status === 'succeeded') return 'good';
  if (status === 'failed') return 'bad';
  if (status === 'cancelled') return 'muted';
  return 'accent';
}
