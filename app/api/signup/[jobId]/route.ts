import { NextResponse, type NextRequest } from 'next/server';
import { getTranslations } from 'next-intl/server';
import { jsonError } from '@/lib/auth/route';
import { FINISHED_STATUSES } from '@/lib/jobs/types';
import { signupJob } from '@/lib/sites/self-service';
import { SIGNUP_TOKEN_HEADER, type ReadySite, type SignupProgress } from '@/app/_lib/signup-progress';
import { PROFILES } from '@/lib/domain/profiles';
import { platformCommand } from '@/lib/platforms/run-command';
import { adminUrl, visitUrl } from '@/components/sites/site-links';

export const dynamic = 'force-dynamic';

function readySite(host: string, platform: Parameters<typeof platformCommand>[0] & { profile: string }): ReadySite {
  const profile = PROFILES[platform.profile] ?? PROFILES.generic;
  return { url: visitUrl(host), adminUrl: adminUrl(host, profile.adminPath), application: profile.label, installed: !!platformCommand(platform, 'install') };
}

/**
 * GET /api/signup/<jobId> — public on purpose: the visitor who started a sign-up follows its
 * progress with the token they were given (an HMAC of the job id). Without the right token,
 * the job does not exist. Only status, step and progress go out; a failure gets generic words.
 */
export async function GET(req: NextRequest, { params }: { params: Promise<{ jobId: string }> }) {
  const { jobId } = await params;
  const t = await getTranslations('serverErrors');
  const NOT_FOUND = t('noSignup');
  const token = req.headers.get(SIGNUP_TOKEN_HEADER) ?? '';
  const job = await signupJob(jobId, token);
  if (!job) return jsonError(404, NOT_FOUND);
  const done = FINISHED_STATUSES.includes(job.status);
  const failed = done && job.status !== 'succeeded';
  const answer: SignupProgress = { status: job.status, step: job.step, progress: job.progress, done, ...(failed ? { error: t('signupFailed') } : {}) };
  if (job.status === 'succeeded' && job.site) answer.site = readySite(job.site.host, job.site.platform);
  return NextResponse.json(answer, { headers: { 'cache-control': 'no-store' } });
}
